"""Shell completion: ``stormchat completion bash|zsh|fish`` prints a script for that shell.

The scripts are made from the argument parser itself (its commands, options, choices, and
which arguments are files), so they cannot fall behind the command line. No argcomplete: the
shell completes on its own, without starting Python at each Tab.

    bash   eval "$(stormchat completion bash)"    (or save it as
           ~/.local/share/bash-completion/completions/stormchat)
    zsh    source <(stormchat completion zsh)     (or save it as _stormchat in your $fpath)
    fish   stormchat completion fish > ~/.config/fish/completions/stormchat.fish
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

SHELLS = ("bash", "zsh", "fish")
# Metavars of the arguments that name a file or folder.
FILE_METAVARS = {"PATH", "FILE", "OUT", "STORE", "MAP.toml", "TABLE.csv"}


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]  # "-o", "--output"
    help: str
    takes_value: bool
    choices: tuple[str, ...]  # what the value can be; () for anything
    is_file: bool


@dataclass(frozen=True)
class Command:
    name: str  # "" for the top level
    help: str
    options: tuple[Option, ...]
    positional_choices: tuple[str, ...]  # the completion command's shells
    positional_files: bool  # batch FILE, import PATH…


def _help(action: argparse.Action) -> str:
    """The help's first clause, one line: a completion menu has room for a few words."""
    text = " ".join((action.help or "").replace("%%", "%").split())
    return re.split(r" \(|; |: ", text, maxsplit=1)[0]


def _command(name: str, parser: argparse.ArgumentParser, help_text: str) -> Command:
    options: list[Option] = []
    choices: tuple[str, ...] = ()
    files = False
    for action in parser._actions:  # noqa: SLF001 - argparse has no public list of them
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            continue
        metavar = action.metavar if isinstance(action.metavar, str) else None
        is_file = metavar in FILE_METAVARS or action.type is Path
        if action.option_strings:
            options.append(
                Option(
                    tuple(action.option_strings),
                    _help(action),
                    action.nargs != 0,
                    tuple(str(c) for c in action.choices or ()),
                    is_file,
                )
            )
        else:
            choices = tuple(str(c) for c in action.choices or ())
            files = files or is_file
    return Command(name, help_text, tuple(options), choices, files)


def commands(parser: argparse.ArgumentParser) -> list[Command]:
    """The top level (name "") and each command, as the parser has them."""
    found = [_command("", parser, parser.description or "")]
    for action in parser._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}  # noqa: SLF001
            for name, sub in action.choices.items():
                found.append(_command(name, sub, " ".join(helps.get(name, "").split())))
    return found


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](commands(parser))


# ------------------------------------------------------------------------------------ bash


def _bash(found: list[Command]) -> str:
    subs = found[1:]
    names = " ".join(c.name for c in subs)
    values: dict[str, str] = {}  # option → how its value is completed
    for command in found:
        for option in command.options:
            if not option.takes_value:
                continue
            if option.choices:
                reply = f'COMPREPLY=($(compgen -W "{" ".join(option.choices)}" -- "$cur"))'
            elif option.is_file:
                reply = 'COMPREPLY=($(compgen -f -- "$cur"))'
            else:
                reply = "COMPREPLY=()"  # a number or free text: nothing to offer
            for flag in option.flags:
                values.setdefault(flag, reply)
    lines = [
        '# stormchat completion for bash: eval "$(stormchat completion bash)" in ~/.bashrc,',
        "# or save this as ~/.local/share/bash-completion/completions/stormchat",
        "_stormchat() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local cmd="" i words=""',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        f'            {"|".join(c.name for c in subs)}) cmd="${{COMP_WORDS[i]}}"; break ;;',
        "        esac",
        "    done",
        '    case "$prev" in',
    ]
    lines += [f"        {flag}) {reply}; return ;;" for flag, reply in values.items()]
    lines += ["    esac", '    case "$cmd" in']
    for command in found:
        flags = " ".join(flag for option in command.options for flag in option.flags)
        label = '""' if not command.name else command.name
        if command.name:
            positional = (
                f'words="{" ".join(command.positional_choices)}"'
                if command.positional_choices
                else ""
            )
            files = "true" if command.positional_files else "false"
        else:
            positional, files = f'words="{names}"', "false"
        lines.append(
            f"        {label}) {positional + '; ' if positional else ''}"
            f'local flags="{flags}" files={files} ;;'
        )
    lines += [
        "    esac",
        '    if [[ "$cur" == -* ]]; then',
        '        COMPREPLY=($(compgen -W "$flags" -- "$cur"))',
        '    elif [[ "$files" == true ]]; then',
        '        COMPREPLY=($(compgen -f -- "$cur"))',
        "    else",
        '        COMPREPLY=($(compgen -W "$words" -- "$cur"))',
        "    fi",
        "}",
        "complete -o filenames -F _stormchat stormchat",
        "",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------- zsh


def _zsh_text(text: str) -> str:
    """A description inside an _arguments spec: no brackets or colons, quotes escaped."""
    return re.sub(r"[\[\]:]", " ", text).replace("'", "'\\''")


def _zsh_option(option: Option) -> str:
    value = ""
    if option.takes_value:
        if option.choices:
            value = f":value:({' '.join(option.choices)})"
        elif option.is_file:
            value = ":file:_files"
        else:
            value = ":value: "
    text = _zsh_text(option.help)
    if len(option.flags) == 1:
        return f"'{option.flags[0]}[{text}]{value}'"
    exclusive = " ".join(option.flags)
    return f"'({exclusive})'{{{','.join(option.flags)}}}'[{text}]{value}'"


def _zsh(found: list[Command]) -> str:
    top, subs = found[0], found[1:]
    lines = [
        "#compdef stormchat",
        "# stormchat completion for zsh: source <(stormchat completion zsh) in ~/.zshrc,",
        "# or save this as _stormchat in a directory of your $fpath",
        "_stormchat() {",
        "    local -a commands",
        "    commands=(",
    ]
    lines += [f"        '{c.name}:{_zsh_text(c.help)}'" for c in subs]
    lines += [
        "    )",
        "    local curcontext=$curcontext state line",
        "    _arguments -C \\",
    ]
    lines += [f"        {_zsh_option(option)} \\" for option in top.options]
    lines += [
        "        '1: :->command' \\",
        "        '*:: :->args'",
        "    case $state in",
        "        command) _describe -t commands 'stormchat command' commands ;;",
        "        args)",
        "            case $line[1] in",
    ]
    for command in subs:
        specs = [_zsh_option(option) for option in command.options]
        if command.positional_choices:
            specs.append(f"'*:shell:({' '.join(command.positional_choices)})'")
        elif command.positional_files:
            specs.append("'*:file:_files'")
        lines.append(f"                {command.name}) _arguments {' '.join(specs)} ;;")
    lines += [
        "            esac ;;",
        "    esac",
        "}",
        'if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then',
        '    _stormchat "$@"',
        "else",
        "    compdef _stormchat stormchat",
        "fi",
        "",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------ fish


def _fish_text(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_option(option: Option, condition: str) -> str:
    parts = ["complete -c stormchat"]
    if condition:
        parts.append(f"-n {_fish_text(condition)}")
    for flag in option.flags:
        parts.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
    if option.takes_value:
        if option.choices:
            parts.append(f"-x -a {_fish_text(' '.join(option.choices))}")
        else:
            parts.append("-r" + (" -F" if option.is_file else ""))
    parts.append(f"-d {_fish_text(option.help)}")
    return " ".join(parts)


def _fish(found: list[Command]) -> str:
    top, subs = found[0], found[1:]
    lines = [
        "# stormchat completion for fish: stormchat completion fish > "
        "~/.config/fish/completions/stormchat.fish",
        "complete -c stormchat -f",
    ]
    lines += [_fish_option(option, "") for option in top.options]
    for command in subs:
        lines.append(
            f"complete -c stormchat -n '__fish_use_subcommand' -a {command.name} "
            f"-d {_fish_text(command.help)}"
        )
    for command in subs:
        seen = f"__fish_seen_subcommand_from {command.name}"
        # The global options are accepted after the command too: already offered above.
        own = [o for o in command.options if o.flags not in {t.flags for t in top.options}]
        lines += [_fish_option(option, seen) for option in own]
        if command.positional_choices:
            choices = " ".join(command.positional_choices)
            lines.append(f"complete -c stormchat -n '{seen}' -x -a {_fish_text(choices)}")
        elif command.positional_files:
            lines.append(f"complete -c stormchat -n '{seen}' -F")
    return "\n".join(lines) + "\n"
