"""The headless paths never import Textual (DESIGN.md: only the UI modules do)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_engine_handlers_and_batch_do_not_import_textual(tmp_path: Path) -> None:
    modules = ["assistant.engine", "assistant.handlers", "assistant.app"]
    # Batch mode joins the list as soon as it exists.
    modules += [name for name in ("assistant.batch",) if importlib.util.find_spec(name)]
    code = (
        f"import sys; import {', '.join(modules)}; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'textual_plotext', 'plotext')); "
        "assert not loaded, loaded"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=ROOT,
        env={**os.environ, "STORMCHAT_DATA_DIR": str(tmp_path)},
    )
