"""``stormchat serve`` (issue 13.9): the chat app in a browser through textual-serve, offline.

The server runs in a subprocess on a free port; the page is fetched over HTTP with urllib and
every URL in it (and in the stylesheet it links) must be this server's, each one served; a
browser's websocket is played by aiohttp's client, which sees the app drawn with the options
given to ``serve`` and answering a question; SIGTERM then stops the server, exit 0, and the app
it ran with it. The one-line errors (no textual-serve, the port taken, a bad store) run in
process: they fail before anything is served."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assistant import cli
from tests.conftest import assert_one_error_line

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Any absolute URL a browser could be sent to: http(s), websockets, protocol-relative.
URL = re.compile(r"(?:(?:https?|wss?):)?//[A-Za-z0-9.\-\[\]:]+[^\s\"'<>)]*")
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, host: str | None = None) -> tuple[int, str, bytes]:
    """GET ``url``; ``host``: the Host header a browser that typed another name would send."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost only
        return response.status, response.headers.get("Content-Type", ""), response.read()


def children(pid: int) -> set[int]:
    """The processes ``pid`` started (Linux's /proc; empty elsewhere)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text(encoding="utf-8") if task.is_dir() else ""
        found.update(int(child) for child in text.split())
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``stormchat serve`` with the CI options set, until the test stops it (or at the end)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)]
        + ["--ci-method", "wilson", "--level", "90"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                fetch(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    out, err = process.communicate(timeout=10)
                    raise AssertionError(f"the server did not start: {out!r} {err!r}") from None
                time.sleep(0.2)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


def text(drawn: bytes) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drawn.decode("utf-8", "replace"))


async def drive_the_app(port: int) -> str:
    """Be the browser's websocket: wait for the app's first screen (the status line with the
    settings given to serve), ask a question, return what was drawn after it."""
    import asyncio

    aiohttp = pytest.importorskip("aiohttp")

    async def until(websocket: object, needle: str, seconds: float) -> str:
        """What the app drew (its text: escape sequences taken out) until ``needle``."""
        drawn = b""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while needle not in text(drawn):
            remaining = deadline - loop.time()
            assert remaining > 0, f"{needle!r} never drawn: {drawn[-2000:]!r}"
            message = await asyncio.wait_for(websocket.receive(), remaining)  # type: ignore[attr-defined]
            if message.type == aiohttp.WSMsgType.BINARY:
                drawn += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"the websocket closed: {message!r} {drawn[-2000:]!r}")
        return text(drawn)

    url = f"ws://127.0.0.1:{port}/ws?width=100&height=30"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as websocket:
        first = await until(websocket, "CI: Wilson score, 90\u00a0%", STARTUP_SECONDS)
        assert "stormchat" in first  # the header's title
        question = json.dumps(["stdin", "What was the overall response rate?\r"])
        await websocket.send_str(question)
        # ORR 32/122 (published), its 90 % Wilson interval computed here independently.
        return await until(websocket, "32/122", STARTUP_SECONDS)


def wilson_90(k: int, n: int) -> tuple[float, float]:
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.95)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.mark.slow
def test_serve_sends_an_offline_page_runs_the_app_and_stops_on_sigterm(
    server: tuple[subprocess.Popen[bytes], int],
) -> None:
    import asyncio

    process, port = server
    status, kind, body = fetch(f"http://127.0.0.1:{port}/")
    page = body.decode("utf-8")
    assert status == 200 and kind.startswith("text/html")
    assert "<title>stormchat</title>" in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    # Offline: every URL the page (and the stylesheet it links) names is this server's, and
    # each is there. textual-serve's own page links fonts.googleapis.com.
    urls = set(URL.findall(page))
    assert urls, "the page names no URL at all"
    css_url = f"http://127.0.0.1:{port}/static/css/xterm.css"
    assert css_url in urls
    _, _, css = fetch(css_url)
    # Its comments credit term.js and jslinux by URL: nothing a browser loads.
    urls |= set(URL.findall(re.sub(r"/\*.*?\*/", "", css.decode("utf-8"), flags=re.S)))
    outside = sorted(u for u in urls if urlsplit(u).hostname not in LOCAL_HOSTS)
    assert not outside, outside
    for url in sorted(u for u in urls if u.startswith("http")):
        assert fetch(url)[0] == 200, url
    font = f"http://127.0.0.1:{port}/static/fonts/RobotoMono-VariableFont_wght.ttf"
    assert font in urls and fetch(font)[2][:4] == b"\x00\x01\x00\x00"  # a TrueType font
    # The page names the server as the browser reached it (a colleague's browser, with
    # --host 0.0.0.0, reaches it by this machine's name, not by 0.0.0.0 or 127.0.0.1).
    named = fetch(f"http://127.0.0.1:{port}/", host=f"localhost:{port}")[2].decode("utf-8")
    assert f'data-session-websocket-url="ws://localhost:{port}/ws"' in named
    assert {urlsplit(u).hostname for u in URL.findall(named)} == {"localhost"}

    drawn = asyncio.run(drive_the_app(port))
    low, high = wilson_90(32, 122)
    assert f"{low * 100:.1f}–{high * 100:.1f}" in drawn, drawn[-3000:]

    apps = children(process.pid)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert b"Traceback" not in err and err == b"", err
    assert out.decode().startswith(f"Serving the stormchat chat app on http://127.0.0.1:{port}")
    # The chat app it ran for the websocket ended with it.
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in apps) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in apps if alive(pid)]
    with socket.socket() as probe:  # and the port is free again
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_port_in_use_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, out, err = run(["serve", "--port", str(port)], capsys)
    assert code == 2 and out == ""
    line = assert_one_error_line(err)
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in line


def test_without_textual_serve_it_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules: importing it raises ImportError, as when it is not installed.
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    code, out, err = run(["serve", "--port", str(free_port())], capsys)
    assert code == 2 and out == ""
    assert "pip install 'stormchat[serve]'" in assert_one_error_line(err)


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["serve", "--port", "0"], 2, "a port is between 1 and 65535, not 0"),
        (["serve", "--port", "http"], 2, "not a port number: 'http'"),
        (["serve", "--host", "no-such-host.invalid", "--port", "8123"], 2, "cannot serve on"),
        (["serve", "--db", "no-such-store.json"], 3, "cannot use the store"),
    ],
)
def test_bad_options_fail_before_serving(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, words: str
) -> None:
    got, out, err = run(argv, capsys)
    assert got == code and out == ""
    assert words in assert_one_error_line(err)


def test_the_options_given_are_the_apps(monkeypatch: pytest.MonkeyPatch) -> None:
    """--db (made absolute: the app may start elsewhere), --ci-method and --level reach the
    command each browser tab runs; nothing else does."""
    from assistant.app import serve
    from knowledge.store import default_store_path

    seen: dict[str, object] = {}

    def fake_serve(options: list[str], host: str, port: int) -> int:
        seen.update(options=options, host=host, port=port)
        return 0

    monkeypatch.setattr(serve, "serve", fake_serve)
    store = default_store_path()
    relative = os.path.relpath(store)
    assert cli.main(["--level", "0.9", "serve", "--db", relative, "--ci-method", "wilson"]) == 0
    assert seen == {
        "options": ["--db", str(store.resolve()), "--ci-method", "wilson", "--level", "0.9"],
        "host": "127.0.0.1",
        "port": 8000,
    }
    command = serve.app_command(["--db", "/a b/store.json"])
    assert command == f"{sys.executable} -m assistant --db '/a b/store.json'"


def test_help_describes_serve(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    top = capsys.readouterr().out
    assert re.search(r"\n\s+serve\s+the chat app in a browser", top)
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--host HOST", "default 127.0.0.1", "--port PORT", "default 8000", "--db"):
        assert words in text
    assert "offline" in text.lower() and "pip install 'stormchat[serve]'" in text


@pytest.mark.slow
def test_a_wheel_ships_the_page_and_the_stylesheet(tmp_path: Path) -> None:
    """A non-editable install has the page serve sends and the app's stylesheet: pyproject's
    package-data names them (an editable install reads them from the checkout either way)."""
    import shutil
    import zipfile

    # Built from a copy: setuptools writes build/ and *.egg-info beside the sources it builds.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
        + ["-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("stormchat-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"assistant/app/web/app_index.html", "assistant/app/stormchat.tcss"} <= names


def test_the_page_template_names_no_url_of_its_own() -> None:
    from assistant.app.serve import PAGE_FOLDER

    template = (PAGE_FOLDER / "app_index.html").read_text(encoding="utf-8")
    markup = template.split("-->", 1)[1]  # after the comment at the top
    assert "//" not in markup.replace("{{ config.static.url }}", "")


def test_the_address_printed_is_one_a_browser_can_open() -> None:
    from assistant.app.serve import public_url

    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("::1", 8080) == "http://[::1]:8080"
    # On every interface: this machine's name, which another machine's browser can open.
    assert public_url("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"
