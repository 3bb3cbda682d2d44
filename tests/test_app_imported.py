"""The chat app and the demo on an imported study (issue 14): the title, the study card, the
welcome, the input's hint and the demo name the study of the store's metadata and its arms,
and no STORM figure appears. Driven with Textual's Pilot on the CDISC pilot (XPT)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("textual")
pytest.importorskip("pyreadstat", reason="pyreadstat (the 'adam' extra) reads the pilot's XPT")

from textual.widgets import Static  # noqa: E402

from assistant.app import StormChatApp  # noqa: E402
from assistant.app.history import History  # noqa: E402
from assistant.cli import main  # noqa: E402
from assistant.demo import default_script  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.study_profile import STORM, profile  # noqa: E402

ADAM = Path(__file__).resolve().parents[1].parent / "shared" / "adam"
ARMS = ("Placebo", "Xanomeline Low Dose", "Xanomeline High Dose")
# What only STORM's pages say: the study, its drugs and disease, its source, its figures.
STORM_WORDS = (
    "STORM",
    "selinexor",
    "dexamethasone",
    "myeloma",
    "Chari",
    "N Engl J Med",
    "122",
    "123",
    "26.2",
)


@pytest.fixture(scope="module")
def pilot(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    if not ADAM.is_dir():
        pytest.skip(f"the public ADaM datasets are not at {ADAM}")
    out = tmp_path_factory.mktemp("pilot") / "pilot.json"
    assert main(["import", str(ADAM / "cdiscpilot01"), "-o", str(out)]) == 0
    return Engine.load(out)


def texts(widget: object) -> str:
    return "\n".join(
        str(getattr(static.visual, "plain", static.visual))
        for static in widget.query(Static)  # type: ignore[attr-defined]
    )


def no_storm(text: str) -> None:
    found = [word for word in STORM_WORDS if word in text]
    assert not found, f"STORM's {found} in: {text}"


@pytest.mark.asyncio
async def test_title_card_and_welcome_name_the_imported_study(
    pilot: Engine, app_home: Path
) -> None:
    app = StormChatApp(pilot, cursor_blink=False, history=History())
    async with app.run_test(size=(120, 40)) as pilot_:
        await pilot_.pause()
        title = f"{app.title} — {app.sub_title}"
        card = texts(app.card)
        welcome = texts(app.transcript)
        placeholder = app.prompt.placeholder
    assert "CDISCPILOT01" in title and all(arm in title for arm in ARMS), title
    assert card.startswith("CDISCPILOT01"), card
    # Each arm with its safety population (Table 14-5.01's N: 86 / 84 / 84), and the
    # key results by arm: any AE 65/86, 77/84, 76/84 (the table's "any body system").
    flat = " ".join(card.split()).replace("\u00a0", " ")
    assert "Placebo (86), Xanomeline Low Dose (84), Xanomeline High Dose (84)" in flat
    for arm, n, total in (
        ("Placebo", 65, 86),
        ("Xanomeline Low Dose", 77, 84),
        ("Xanomeline High Dose", 76, 84),
    ):
        assert f"{arm}: {100 * n / total:.1f} % ({n}/{total})" in flat, flat
    assert "CDISCPILOT01" in welcome and all(arm in " ".join(welcome.split()) for arm in ARMS)
    assert "CDISCPILOT01" in placeholder
    for text in (title, card, welcome, placeholder):
        no_storm(text)


def test_the_shipped_store_keeps_storms_profile(engine: Engine) -> None:
    assert profile(engine.store) == STORM


def test_the_demo_walks_through_the_imported_study(pilot: Engine) -> None:
    script = default_script(profile(pilot.store))
    assert script.title.startswith("CDISCPILOT01") and len(script) >= 3
    conversation = pilot.conversation()
    for step in script:
        answer = conversation.ask(step.question)
        assert answer.status == "answered", (step.question, answer.text)
        assert answer.sources == ["computed from the study records (CDISCPILOT01)"]


def test_demo_plain_names_the_imported_study(
    pilot: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", pilot.store.path, "demo", "--plain"]) == 0
    out = capsys.readouterr().out
    header = "\n".join(out.splitlines()[:3])
    assert header.startswith("CDISCPILOT01: the records, step by step")
    assert all(arm in header for arm in ARMS)
    no_storm(header)
