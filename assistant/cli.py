"""The ``stormchat`` command line: parse arguments, run a command, map failures to exit codes.

Exit codes (DESIGN.md): 0 done; 1 ``verify`` found a mismatch; 2 usage error; 3 the store
cannot be read or is invalid; 130 interrupted. Errors are one plain line on stderr, prefixed
``stormchat:``, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from knowledge.stats import CI_METHODS, DEFAULT_LEVEL, DEFAULT_METHOD

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE, EXIT_STORE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """Bad arguments or input files: exit 2."""


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
        value /= 100
    if not 0.5 <= value <= 0.999:
        raise argparse.ArgumentTypeError(f"level must be between 0.5 and 0.999 (50–99.9 %), "
                                         f"not {text}")
    return value


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """The global options, accepted before or after the command. On the sub-commands their
    defaults are suppressed so a value given before the command is not overwritten."""
    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument("--db", type=Path, default=default(None), metavar="PATH",
                        help="a study store to use instead of the built-in STORM store")
    parser.add_argument("--ci-method", choices=list(CI_METHODS), default=default(DEFAULT_METHOD),
                        help="interval method for rates (default: clopper-pearson, exact)")
    parser.add_argument("--level", type=_level, default=default(DEFAULT_LEVEL),
                        help="confidence level, 0.5–0.999 or 50–99.9 %% (default 0.95)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stormchat",
        description="Answers about STORM Part 2 (selinexor-dexamethasone in "
                    "triple-class-refractory myeloma; N Engl J Med 2019;381:727-38), computed "
                    "from published facts and reconstructed patient records.",
        epilog="exit codes: 0 done, 1 verify found a mismatch, 2 usage error, "
               "3 store unreadable or invalid, 130 interrupted",
    )
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    verify = commands.add_parser(
        "verify", help="every published figure beside the one computed from the records",
        description="Print each published figure the records reproduce, the computed value, "
                    "the source and ✓/✗. Exit 0 when all match, 1 otherwise.")
    _global_options(verify, suppress=True)
    return parser


def _run_verify(args: argparse.Namespace) -> int:
    from assistant.verify_report import print_report
    from knowledge.store import load_store

    return print_report(load_store(args.db), sys.stdout)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "verify": _run_verify,
}


def main(argv: Sequence[str] | None = None) -> int:
    from knowledge.store import StoreError

    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            # Until the chat app exists, the bare command verifies the store.
            args.command = "verify"
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"stormchat: {error}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as error:
        print(f"stormchat: cannot use the store {error}", file=sys.stderr)
        return EXIT_STORE
    except KeyboardInterrupt:
        print("stormchat: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK


def _silence_stdout() -> None:
    """After the reader of our output went away (``| head``), point stdout at /dev/null so the
    interpreter's final flush does not print a BrokenPipeError."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
