"""``stormchat serve``: the chat app in a browser on this machine, through textual-serve.

Each browser tab that opens the page starts its own chat app, ``python -m assistant`` with the
options given to ``serve`` (``--db``, ``--ci-method``, ``--level``), drawn by Textual's web
driver over a websocket. The page is ours (``web/app_index.html``), not textual-serve's, which
links Google Fonts: this one takes Roboto Mono from the copy in textual-serve's static folder,
so a demo works without internet.

textual-serve (and aiohttp under it) is the optional extra ``stormchat[serve]``: without it,
``serve`` is one line and exit 2. Importing this module needs neither it nor Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

PAGE_FOLDER = Path(__file__).resolve().parent / "web"
TITLE = "stormchat"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
INSTALL_HINT = "pip install 'stormchat[serve]'"
# How long a tab's app has to quit when the server stops (it quits in well under a second).
STOP_SECONDS = 10.0


class ServeError(Exception):
    """The server cannot start (no textual-serve, the address is taken): the CLI's exit 2."""


def app_command(options: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser tab: this Python's stormchat."""
    return shlex.join([sys.executable, "-m", "assistant", *options])


def public_url(host: str, port: int) -> str:
    """The address to print: for a server on every interface, this machine's name (the
    others' browsers cannot open 0.0.0.0)."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.gethostname()
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address
    return f"http://{shown}:{port}"


def check_address(host: str, port: int) -> None:
    """Bind and release ``host:port`` as the server will (SO_REUSEADDR, as aiohttp does), so
    that a port in use is one line before anything is printed, not an error inside aiohttp
    after its start-up."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"cannot serve on {host}: {error.strerror}") from None
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
                probe.listen(1)
            except OSError as error:
                raise ServeError(address_error(host, port, error)) from None


def address_error(host: str, port: int, error: OSError) -> str:
    why = error.strerror or str(error)
    return f"cannot serve on {host}:{port}: {why} (another program has it? try --port)"


def serve(options: Sequence[str], host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve the chat app until SIGINT (ctrl+c) or SIGTERM; 0 once stopped."""
    try:
        from textual_serve import server as textual_serve
        from textual_serve.app_service import AppService
        from textual_serve.server import Server
    except ImportError as error:
        raise ServeError(
            f"'stormchat serve' needs the serve extra (cannot import {error.name}): {INSTALL_HINT}"
        ) from None
    check_address(host, port)

    class AppProcess(AppService):
        """One browser tab's chat app. Stopping it waits for the process to end: textual-serve
        stops reading when the app closes its output, and on SIGTERM the server could exit
        (asyncio's loop closed, "Loop … that handles pid … is closed") before the app had."""

        async def stop(self) -> None:
            await super().stop()
            process = self._process
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError, TimeoutError):
                    await asyncio.wait_for(process.wait(), STOP_SECONDS)
                if process.returncode is None:
                    process.kill()  # quit was sent and not obeyed
                    await process.wait()

    # textual-serve makes each tab's service from its module's name: ours instead.
    textual_serve.AppService = AppProcess  # type: ignore[attr-defined]

    class AppServer(Server):
        """textual-serve's server with our page, and one plain line at start instead of its
        banner and a log of every request."""

        def initialize_logging(self) -> None:
            logging.basicConfig(
                level=logging.WARNING, format="stormchat serve: %(message)s", stream=sys.stderr
            )

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # The page's URLs (its websocket, scripts, font) are those the browser used to
            # reach it: another machine on `--host 0.0.0.0` opened this machine's name, not
            # 0.0.0.0. (Nothing is awaited between setting and reading it.)
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def on_startup(self, app: web.Application) -> None:
            print(
                f"Serving the stormchat chat app on {url} (each browser tab is "
                "its own conversation); ctrl+c stops the server.",
                flush=True,
            )

    url = public_url(host, port)
    server = AppServer(
        app_command(options),
        host=host,
        port=port,
        title=TITLE,
        public_url=url,
        templates_path=PAGE_FOLDER,  # absolute: textual-serve joins it to its own folder
    )
    # textual-serve takes asyncio's current loop: give it one (none is set in the main thread
    # since Python 3.12, and get_event_loop() warns).
    asyncio.set_event_loop(asyncio.new_event_loop())
    try:
        server.serve()
    except OSError as error:  # taken between the check and the bind
        raise ServeError(address_error(host, port, error)) from None
    return 0
