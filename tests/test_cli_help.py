"""Issue 8: `opensel --help` and every subcommand's help are complete, and the version is the package's.

The checks walk the real argparse parser that `opensel` builds, so a command added to COMMANDS without a
description, or an option without help text, fails here.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys

import pytest

from opensel_desktop import __version__
from opensel_desktop.cli import COMMANDS, build_parser, main


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def summaries() -> dict[str, str | None]:
    """The one-line help each command shows in `opensel --help`."""
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {choice.dest: choice.help for choice in sub._choices_actions}


def test_every_module_in_commands_is_a_subcommand() -> None:
    names = subcommands()
    assert len(names) == len(COMMANDS)
    # each module's parser is the one registered under its name (add_parser returns it)
    assert all(p.prog.startswith("opensel ") for p in names.values())


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_command_has_summary_and_description(name: str) -> None:
    summary = summaries()[name]
    assert summary and summary.strip(), f"`opensel {name}` has no one-line help in `opensel --help`"
    description = subcommands()[name].description
    assert description and len(description.strip()) >= 20, f"`opensel {name}` has no description"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_option_has_help(name: str) -> None:
    parser = subcommands()[name]
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        text = action.help
        if text is None or text == argparse.SUPPRESS or not str(text).strip():
            missing.append("/".join(action.option_strings) or action.dest)
    assert not missing, f"`opensel {name}`: no help text for {', '.join(missing)}"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_help_prints_and_exits_zero(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([name, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: opensel {name}")
    assert "exit codes" in out or "example" in out.lower()


def examples(parser: argparse.ArgumentParser) -> list[str]:
    """The example command lines of a command's epilog (indented lines starting with, or piped into, opensel)."""
    lines = [line.strip() for line in (parser.epilog or "").splitlines() if line.startswith("  ")]
    return [line.rsplit("| ", 1)[-1] for line in lines if "opensel " in line]


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_an_example_that_parses(name: str) -> None:
    """Each example is real usage: it names the command and the parser accepts it as written."""
    found = examples(subcommands()[name])
    assert found, f"`opensel {name}` has no example in its help"
    assert any(shlex.split(line)[1] == name for line in found), f"no `opensel {name}` example"
    for line in found:
        argv = shlex.split(line, comments=True)
        assert argv[0] == "opensel", line
        if argv[1] != name:  # an example may show the next step (report -> verify)
            continue
        args = build_parser().parse_args(argv[1:])
        assert args.command == name and callable(args.handler)


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for name in subcommands():
        assert f"    {name}" in out
    assert "--version" in out and "exit codes" in out


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"opensel {__version__}"


def test_version_from_a_fresh_process() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", "--version"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["opensel", __version__]
