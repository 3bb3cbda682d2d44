"""``python -m assistant`` is ``stormchat``: the same commands, options and exit codes."""

from __future__ import annotations

import sys

from assistant.cli import main

if __name__ == "__main__":
    sys.exit(main())
