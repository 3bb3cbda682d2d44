"""The ``stormchat`` command line: parse arguments, run a command, map failures to exit codes.

Exit codes (DESIGN.md): 0 done; 1 ``verify`` found a mismatch; 2 usage, input or output error
(stdout closed, full, or in an encoding that cannot show the output); 3 the store cannot be read
or is invalid; 4 internal error (a bug); 130 interrupted (Ctrl-C); 128 + the signal when
ended by SIGTERM, SIGHUP, SIGUSR1 or SIGUSR2 (143, 129, 138, 140). Errors are one plain line on
stderr, prefixed ``stormchat:``, never a traceback. A bug is one line too ("internal error",
exit 4, so it is never taken for verify's "mismatch"); ``STORMCHAT_DEBUG=1`` lets its traceback
through.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from assistant.cli_completion import SHELLS
from assistant.output import FORMATS
from knowledge.collector import collector_paused
from knowledge.stats import CI_METHODS, DEFAULT_LEVEL, DEFAULT_METHOD

if TYPE_CHECKING:
    from assistant.engine import Engine

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE, EXIT_STORE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
# Ended by a signal of interrupts.TERMINATING: 128 + the signal, as a shell reports it.
# What textual-serve sets for the app it runs: the app then needs no terminal.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


class UsageError(Exception):
    """Bad arguments, input or output files: exit 2."""


class OutputError(UsageError):
    """The output cannot take what we write (stdout closed, a full disk, an encoding that
    cannot show it): exit 2, and nothing more is written there."""


@contextlib.contextmanager
def writing_stdout() -> Iterator[TextIO]:
    """Standard output for a command to write to; every way that writing can fail becomes one
    ``OutputError`` (a reader that went away, ``BrokenPipeError``, stays quiet: see main)."""
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`>&-`)
        raise OutputError("cannot write stdout: it is closed")
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        yield stream
        stream.flush()
    except BrokenPipeError:
        raise
    except UnicodeEncodeError as error:
        if _codec(error.encoding) != _codec(encoding):
            raise  # not stdout's encoding: some other code's bug, an internal error
        char = error.object[error.start : error.start + 1]
        raise OutputError(
            f"cannot write stdout: its encoding ({encoding}) cannot show "
            f"{char!r}; use a UTF-8 locale or set PYTHONIOENCODING=utf-8"
        ) from None
    except OSError as error:
        raise OutputError(f"cannot write stdout: {error.strerror or error}") from None
    except ValueError:
        if getattr(stream, "closed", False):  # "I/O operation on closed file"
            raise OutputError("cannot write stdout: it is closed") from None
        raise  # a computation's ValueError is a bug, not an output error


def _codec(name: str) -> str:
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One plain line, as every other error; the usage is one --help away.
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _level(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if text.endswith("%") or value > 1:
        value = round(value / 100, 9)  # 99.9 / 100 is 0.9990000000000001 in floating point
    if not 0.5 <= value <= 0.999:
        raise argparse.ArgumentTypeError(
            f"level must be between 0.5 and 0.999 (50–99.9 %), not {text}"
        )
    return value


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """The global options, accepted before or after the command. On the sub-commands their
    defaults are suppressed so a value given before the command is not overwritten."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument(
        "--db",
        type=Path,
        default=default(None),
        metavar="PATH",
        help="a study store to use instead of the built-in STORM store",
    )
    # None: not given. The chat app then takes its config file's (cli_config), the other
    # commands the built-in defaults (_load_engine).
    parser.add_argument(
        "--ci-method",
        choices=list(CI_METHODS),
        default=default(None),
        help=f"interval method for rates (default: {DEFAULT_METHOD}, exact; the chat app: "
        "its config file's)",
    )
    parser.add_argument(
        "--level",
        type=_level,
        default=default(None),
        help=f"confidence level, 0.5–0.999 or 50–99.9 %% (default {DEFAULT_LEVEL}; the chat "
        "app: its config file's)",
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("stormchat")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


class _VersionAction(argparse.Action):
    """argparse's "version" action, but the version is looked up only when asked for:
    importlib.metadata (and the email package it reads metadata with) is a cost every start
    of the chat app would pay."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> NoReturn:
        sys.stdout.write(f"stormchat {_version()}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stormchat",
        description="Answers about STORM Part 2 (selinexor-dexamethasone in "
        "triple-class-refractory myeloma; N Engl J Med 2019;381:727-38), computed "
        "from published facts and reconstructed patient records. Without a "
        "command, opens the chat app, which takes its default CI method and level, theme "
        "and keys from config.toml in the user config dir ($STORMCHAT_CONFIG overrides; "
        "see the README). The parser's prepared data is cached in the user cache dir "
        "($STORMCHAT_CACHE_DIR overrides) and rebuilt whenever its sources change.",
        epilog="exit codes: 0 done, 1 verify found a mismatch, 2 usage, input or output "
        "error, 3 store unreadable or invalid, 4 internal error (a bug), 130 interrupted, "
        "128 + the signal for SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 (143, 129, 138, 140)",
    )
    _global_options(parser, suppress=False)
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="print the version and exit"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    verify = commands.add_parser(
        "verify",
        help="every published figure beside the one computed from the records",
        description="Print each published figure the records reproduce, the computed value, "
        "the source and ✓/✗. Exit 0 when all match, 1 otherwise. With --against, "
        "compare the records with a team's table of expected counts instead.",
    )
    verify.add_argument(
        "--against",
        type=Path,
        metavar="TABLE.csv",
        help="a CSV of expected adverse-event counts with columns term, arm, "
        "n, N (term: a preferred term, a system organ class or ANY; arm: "
        "an arm of the store or ALL)",
    )
    _global_options(verify, suppress=True)

    ask = commands.add_parser(
        "ask",
        help="one answer on stdout",
        description="Answer one question and print the answer and its sources (or, with "
        "--json, the answer as one JSON object). Any answer, even 'not "
        "understood', exits 0.",
    )
    ask.add_argument(
        "question",
        nargs="+",
        metavar="QUESTION",
        help="the question (quote it, or give it as several words)",
    )
    ask.add_argument(
        "--json",
        action="store_true",
        help="print the answer as one JSON object with its six fields",
    )
    ask.add_argument(
        "--parse",
        action="store_true",
        help="also show how the question was read: intent, slots, each query of "
        "a compound question, qualifiers, corrected and unaccounted words "
        '(with --json, under the key "parse")',
    )
    _global_options(ask, suppress=True)

    batch = commands.add_parser(
        "batch",
        help="answer every line of a file",
        description="Every line of FILE is a question; consecutive lines are one conversation "
        "(follow-ups refer back), a blank line starts a new one, lines starting "
        "with # are comments. One answer per question, in order, written as soon "
        "as it is computed.",
    )
    batch.add_argument("file", metavar="FILE", help="the questions, or - for standard input")
    batch.add_argument(
        "--format",
        choices=list(FORMATS),
        default="text",
        help="text (default), jsonl (one JSON object per line), csv or markdown",
    )
    batch.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write to OUT (complete or not at all) instead of stdout",
    )
    batch.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    _global_options(batch, suppress=True)

    demo = commands.add_parser(
        "demo",
        help="walk an audience through the study's findings",
        description="Present STORM Part 2 (with --db, the store's study) step by step in the "
        "chat app: each question of the script is typed, answered and captioned. Keys: "
        "space or right next, left back, p pause, / ask your own, q quit. A script is a "
        "text file (one 'caption :: question' or 'question' per line, # comments) or a YAML "
        "file (.yaml/.yml: a list of {caption, question}, or a mapping with "
        "'steps:').",
    )
    demo.add_argument(
        "--script", metavar="FILE", help="your own script instead of the built-in walkthrough"
    )
    demo.add_argument(
        "--plain",
        action="store_true",
        help="print the walkthrough to stdout instead of running the app",
    )
    demo.add_argument(
        "--auto",
        type=_seconds(0.5, 3600),
        metavar="SECONDS",
        help="advance by itself SECONDS after each answer (p pauses)",
    )
    demo.add_argument(
        "--pace",
        type=_seconds(0, 1),
        default=0.04,
        metavar="SECONDS",
        help="typing speed, seconds per character (default 0.04; 0 = at once)",
    )
    demo.add_argument(
        "--export",
        metavar="FILE",
        help="also write the walkthrough as Markdown to FILE: with --plain every step; in "
        "the app the steps shown and your own questions, updated after each answer",
    )
    demo.add_argument("--force", action="store_true", help="overwrite the --export FILE")
    _global_options(demo, suppress=True)

    imp = commands.add_parser(
        "import",
        help="build a store from a team's ADaM files",
        description="Read ADSL, ADAE, ADRS and ADTTE (SAS XPORT .xpt, SAS7BDAT, CSV or CDISC "
        "Dataset-JSON; a folder or files) into a validated store, written "
        "atomically, and print what was read, kept and dropped per dataset. XPT "
        "and SAS7BDAT need pyreadstat (pip install 'stormchat[adam]'). Variable "
        "names follow the ADaM IG; --map names what a sponsor calls differently. "
        "Point stormchat at the result with --db STORE.",
    )
    imp.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a folder holding the datasets, or the dataset files",
    )
    imp.add_argument(
        "-o", "--output", required=True, metavar="STORE", help="the store file to write"
    )
    imp.add_argument(
        "--map",
        metavar="MAP.toml",
        help="a TOML map of sponsor differences (tables [study], [adsl], [adae], "
        "[adrs], [adtte]; see the README)",
    )
    imp.add_argument("--force", action="store_true", help="overwrite STORE if it exists")
    _global_options(imp, suppress=True)

    serve = commands.add_parser(
        "serve",
        help="the chat app in a browser on localhost, for a team to watch",
        description="Serve the chat app as a web page (textual-serve): open the address it "
        "prints in a browser; each tab runs its own chat app with the options given here. "
        "Works offline: the page loads nothing from outside this server. Stop it with ctrl+c "
        "or SIGTERM (exit 0). Needs the serve extra: pip install 'stormchat[serve]'.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 "
        "opens it to the network)",
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="the port to listen on (default 8000)"
    )
    _global_options(serve, suppress=True)

    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a script that completes stormchat's commands, options and their "
        'values in SHELL. bash: eval "$(stormchat completion bash)" in ~/.bashrc; zsh: '
        "source <(stormchat completion zsh) in ~/.zshrc; fish: stormchat completion fish > "
        "~/.config/fish/completions/stormchat.fish",
    )
    completion.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    return parser


def _seconds(low: float, high: float) -> Callable[[str], float]:
    """An argparse type: a number of seconds between ``low`` and ``high``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be between {low:g} and {high:g} seconds, not {text}"
            )
        return value

    return parse


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 1 and 65535, not {text}")
    return value


def _run_verify(args: argparse.Namespace) -> int:
    from assistant.verify_report import print_report
    from knowledge.store import load_store
    from knowledge.verify_table import TableError

    if args.against is not None and not args.against.is_file():
        raise UsageError(f"{args.against}: no such file")
    store = load_store(args.db)
    if args.against is None and not store.facts:
        raise UsageError(
            f"{store.path} holds no published facts to check the records "
            "against; give a table of expected counts with --against TABLE.csv"
        )
    try:
        with writing_stdout() as out:
            return print_report(store, out, args.against)
    except TableError as error:
        raise UsageError(str(error)) from None


def _load_engine(args: argparse.Namespace) -> Engine:
    # Importing stormchat's modules, building the parser's vocabulary and loading the store
    # is one burst of long-lived objects: with the collector on, it traverses the growing
    # heap again and again for garbage that is not there (about 80 ms of a cold `ask`, an
    # eighth of its import floor). What exists then is frozen, and the collector is back on
    # for the answers.
    with collector_paused(freeze=True):
        from assistant.engine import Engine

        return Engine.load(args.db, args.ci_method or DEFAULT_METHOD, args.level or DEFAULT_LEVEL)


def _run_ask(args: argparse.Namespace) -> int:
    from assistant.batch import safe_ask, stdout_sink
    from assistant.output import render_ask, render_parse, to_json

    # Several words are one question, so `stormchat ask what was the ORR` works unquoted.
    question = " ".join(args.question)
    conversation = _load_engine(args).conversation()
    answer = safe_ask(conversation, question, warn=sys.stderr)
    parse = conversation.last_parse.summary() if args.parse and conversation.last_parse else None
    try:
        sink = stdout_sink()
        if args.json:
            sink.write(to_json(answer, parse=parse) + "\n")
        else:
            sink.write(render_ask(answer, dim=_color(sys.stdout)))
            if parse is not None:
                sink.write(render_parse(parse))
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write stdout: {error.strerror or error}") from None
    # Every answer is a successful run: not understood / not reported are answers too.
    return EXIT_OK


def _color(stream: object) -> bool:
    """Dim text only on a terminal that wants it (https://no-color.org)."""
    import os

    isatty = getattr(stream, "isatty", None)
    return (
        callable(isatty)
        and bool(isatty())
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )


def _run_batch(args: argparse.Namespace) -> int:
    from assistant import batch
    from assistant.atomic import OutputExistsError, atomic_writer, check_target
    from assistant.output import make_formatter

    output = Path(args.output) if args.output not in (None, "-") else None
    try:
        # Everything about the files is checked before the store is loaded: a typo in a
        # file name should fail at once, and leave nothing behind.
        source = batch.open_input(args.file)
        with source:
            if output is not None:
                check_target(output, args.force)
            engine = _load_engine(args)
            formatter = make_formatter(args.format)
            progress = batch.make_progress(source, to_stdout=output is None)
            items = batch.parse_lines(batch.read_lines(source.stream, source.name))
            if output is None:
                batch.run_batch(items, engine, formatter, batch.stdout_sink(), progress)
            else:
                with atomic_writer(output, args.force) as handle:
                    batch.run_batch(items, engine, formatter, batch.Sink(handle), progress)
    except batch.InputError as error:
        raise UsageError(str(error)) from None
    except OutputExistsError as error:
        raise UsageError(str(error)) from None
    except BrokenPipeError:
        raise
    except OSError as error:
        # The output could not be written (a directory, no such folder, disk full): the run
        # has failed, in one line; with -o nothing half-written is left.
        if error.strerror:
            message = f"{error.filename or args.output or 'stdout'}: {error.strerror}"
        else:
            message = str(error)  # check_target's own one-line message
        raise OutputError(f"cannot write {message}") from None
    return EXIT_OK


def _require_terminal(instead: str) -> None:
    """The full-screen app reads keys from stdin and draws on stderr (as Textual does): with
    either not a terminal, or a terminal that cannot draw (TERM=dumb), it would spin at full
    CPU with nothing to show. Refuse in one line, exit 2, and say what works instead."""
    problem: str | None
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return  # textual-serve runs us (`stormchat serve`): Textual draws through stdout
    if os.environ.get("TERM") == "dumb":
        problem = "TERM=dumb cannot draw it"
    else:
        problem = next(
            (
                f"standard {name} is not a terminal"
                for name, stream in (("input", sys.__stdin__), ("error", sys.__stderr__))
                if not _isatty(stream)
            ),
            None,
        )
    if problem is not None:
        raise UsageError(f"the full-screen app needs a terminal ({problem}); {instead}")


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return callable(isatty) and bool(isatty())
    except (OSError, ValueError):  # closed
        return False


def _run_demo(args: argparse.Namespace) -> int:
    from assistant.atomic import OutputExistsError, check_target
    from assistant.demo import BUILTIN, ScriptError, default_script, load_script
    from assistant.demo.plain import export_walkthrough, print_walkthrough
    from assistant.study_profile import profile

    if not args.plain:
        _require_terminal("use 'stormchat demo --plain' to print the walkthrough")
    export = Path(args.export) if args.export else None
    try:
        # The script and the export target are checked before the store is loaded: a typo
        # should fail at once and leave nothing behind.
        script = None if args.script is None else load_script(args.script)
        if export is not None:
            check_target(export, args.force)
        results = None
        # The built-in walkthrough is of the study the store holds: STORM's without --db (the
        # app then loads the engine after its first paint); another store's needs it loaded.
        engine: Engine | None = None
        if args.plain or (script is None and args.db is not None):
            engine = _load_engine(args)
        if script is None:
            script = BUILTIN if engine is None else default_script(profile(engine.store))
        if args.plain:
            assert engine is not None
            with writing_stdout() as out:
                results = print_walkthrough(script, engine, out)
            if export is not None:
                export_walkthrough(export, script, engine, args.force, results)
    except (ScriptError, OutputExistsError) as error:
        raise UsageError(str(error)) from None
    except BrokenPipeError:
        raise
    except OSError as error:
        message = f"{error.filename}: {error.strerror}" if error.strerror else str(error)
        raise UsageError(f"cannot write {message}") from None
    if args.plain:
        return EXIT_OK
    from assistant.demo.app_demo import run_demo_app

    # In the app the handout is written as the demo goes: the steps shown and the presenter's
    # own questions (written at the start too, so it exists however the presentation ends).
    # The engine loads in the app, after its first paint.
    return run_demo_app(
        engine if engine is not None else partial(_load_engine, args),
        script,
        auto=args.auto,
        typing_delay=args.pace,
        export=export,
        force=args.force,
    )


def _run_import(args: argparse.Namespace) -> int:
    from assistant.atomic import OutputExistsError, atomic_writer, check_target
    from knowledge.adam_import import AdamImportError, import_adam
    from knowledge.store import StoreError

    output = Path(args.output)
    try:
        # The target is checked before any file is read: a store that would not be written
        # should fail at once.
        check_target(output, args.force)
        result = import_adam(args.paths, args.map, target=output)
        with atomic_writer(output, args.force) as handle:
            handle.write(result.to_json())
    except (AdamImportError, OutputExistsError) as error:
        raise UsageError(str(error)) from None
    except StoreError as error:
        # What was read does not make a valid store: the input's fault, said in one line.
        raise UsageError(f"the files do not make a valid store: {error.reason}") from None
    except OSError as error:
        message = f"{error.filename}: {error.strerror}" if error.strerror else str(error)
        raise UsageError(f"cannot write {message}") from None
    sys.stdout.write(result.report() + f"wrote {output}\n")
    return EXIT_OK


def _run_app(args: argparse.Namespace) -> int:
    from assistant.app import run_app
    from assistant.cli_config import ConfigError, load_config

    try:
        config = load_config()
        _require_terminal("use 'stormchat ask QUESTION' or 'stormchat batch FILE' without one")
        # The config file's CI defaults, unless given on the command line.
        args.ci_method = args.ci_method or config.ci_method
        args.level = args.level or config.level
        # The engine loads in the app, after its first paint: the input takes keys at once.
        return run_app(partial(_load_engine, args), config=config)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _run_serve(args: argparse.Namespace) -> int:
    from assistant.app.serve import ServeError, serve
    from assistant.cli_config import ConfigError, load_config
    from knowledge.store import load_store

    # What each browser tab's app would stop on is checked once, here, before serving: a bad
    # config file is exit 2 and a bad store exit 3 now, not a page that closes at once.
    try:
        load_config()
    except ConfigError as error:
        raise UsageError(str(error)) from None
    options: list[str] = []
    if args.db is not None:
        load_store(args.db)
        options += ["--db", str(args.db.resolve())]
    if args.ci_method is not None:
        options += ["--ci-method", args.ci_method]
    if args.level is not None:
        options += ["--level", repr(args.level)]
    try:
        return serve(options, host=args.host, port=args.port)
    except ServeError as error:
        raise UsageError(str(error)) from None


def _run_completion(args: argparse.Namespace) -> int:
    from assistant.cli_completion import script

    with writing_stdout() as out:
        out.write(script(args.shell, build_parser()))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "app": _run_app,
    "verify": _run_verify,
    "ask": _run_ask,
    "batch": _run_batch,
    "demo": _run_demo,
    "import": _run_import,
    "serve": _run_serve,
    "completion": _run_completion,
}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except Exception as error:  # noqa: BLE001 - the contract: one line, never a traceback
        if os.environ.get("STORMCHAT_DEBUG"):
            raise
        detail = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        _error(f"internal error ({detail}); set STORMCHAT_DEBUG=1 to see where")
        return EXIT_INTERNAL


def _error(message: str) -> None:
    """One line on stderr. Messages quote file names and arguments the user typed, which may
    hold escape sequences: those are shown, not sent to the terminal."""
    from assistant.output import visible

    line = " ".join(visible(message).split("\n"))
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(f"stormchat: {line}", file=sys.stderr)


def _main(argv: Sequence[str] | None) -> int:
    # As in _load_engine, but nothing is frozen: the argument parser is garbage once read, and
    # frozen it would never be freed.
    with collector_paused():
        parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            args.command = "app"
        code = COMMANDS[args.command](args)
        # A reader that went away (`| head -1`) or a full disk shows up here, inside the
        # handlers below, rather than in the interpreter's final flush as "Exception ignored".
        if sys.stdout is not None:
            with writing_stdout():
                pass
        return code
    except OutputError as error:
        _error(str(error))
        _settle_stdout()
        return EXIT_USAGE
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt as error:
        from assistant.interrupts import message

        line, code = message(error)
        _error(line)
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except Exception as error:
        if not _is_store_error(error):
            raise
        _error(f"cannot use the store {error}")
        return EXIT_STORE


def _is_store_error(error: Exception) -> bool:
    """Whether ``error`` is the store's ``StoreError``, checked without importing
    ``knowledge.store``: it brings pydantic and the models, a good part of the chat app's
    start, and an error of that class can only exist once its module has been imported."""
    store = sys.modules.get("knowledge.store")
    return store is not None and isinstance(error, store.StoreError)


def _settle_stdout() -> None:
    """After an output error: flush what stdout still buffers if it can go out, else drop it,
    so the interpreter's final flush does not fail again with a second message."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        _silence_stdout()


def _silence_stdout() -> None:
    """After the reader of our output went away (``| head``), point stdout at /dev/null so the
    interpreter's final flush does not print a BrokenPipeError."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
