"""Polish of the meeting commands, through the `opensel` command line only (subprocesses): bundle totals
that cannot fit their papers, the account by station and the declaration while batches are out, the
journal's station events, the lot line of a count, and the docs that describe them."""

from __future__ import annotations

import hashlib
import os
import re
from functools import partial
from pathlib import Path

from cli_run import run_opensel

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "OPENSEL_PASSPHRASE": "the officer's passphrase", "OPENSEL_STATION_PASSPHRASE": "station passphrase",
       "PYTHONIOENCODING": "utf-8"}

BLOCK = """format: opensel-contest/1
title: Election of branch officers
returning_officer: Jane Smith
method: {rule: block, seats: 2}
candidates: [Ann Hughes, Bob Jones, Siân Evans]
"""

AV = """format: opensel-contest/1
title: Selection of branch delegate
returning_officer: Jane Smith
method: {rule: av, seats: 1}
candidates: [Siân Evans, Tom Jones, Łukasz Nowak]
"""

FPTP_TIE = """format: opensel-contest/1
title: Branch secretary
returning_officer: Jane Smith
method: {rule: fptp, seats: 1}
candidates: [Ann Hughes, Bob Jones, Cai Lewis]
ballots:
  - {marks: [Ann Hughes], count: 4}
  - {marks: [Bob Jones], count: 4}
  - {marks: [Cai Lewis], count: 1}
"""


opensel = partial(run_opensel, env=ENV)


def test_enter_refuses_more_votes_than_the_papers_can_carry(tmp_path: Path) -> None:
    (tmp_path / "officers.yaml").write_text(BLOCK, encoding="utf-8")
    opensel("new", "officers.yaml", "-o", "officers.osel", "--officer", "Jane Smith", cwd=tmp_path)
    before = (tmp_path / "officers.osel").read_bytes()
    refused = opensel("enter", "officers.osel", "--teller", "Ann Teller", "--batch", "A", "--papers", "10",
                      stdin="Ann Hughes=9\nBob Jones=8\nSiân Evans=4\n", cwd=tmp_path, ok=False)
    assert refused.stderr.startswith("opensel: officers.osel: bundle A: 21 votes cannot come from 10 papers with "
                                     "at most 2 votes each (20 at most)")
    assert "nothing was saved" in refused.stderr and refused.stdout == ""
    assert "bundle totals" not in opensel("log", "officers.osel", cwd=tmp_path).stdout
    assert (tmp_path / "officers.osel").read_bytes() == before
    opensel("enter", "officers.osel", "--teller", "Ann Teller", "--batch", "A", "--papers", "10", "--single",
            stdin="Ann Hughes=9\nBob Jones=8\nSiân Evans=3\n", cwd=tmp_path)
    account = opensel("account", "officers.osel", cwd=tmp_path).stdout
    assert "Bundle totals: 10 papers carrying 20 votes" in account


def test_account_by_station_declaration_while_a_batch_is_out_and_the_log_of_stations(tmp_path: Path) -> None:
    (tmp_path / "contest.yaml").write_text(AV, encoding="utf-8")
    run = lambda *a, **k: opensel(*a, cwd=tmp_path, **k)  # noqa: E731
    run("new", "contest.yaml", "-o", "meeting.osel", "--officer", "Jane Smith")
    run("keygen", "--name", "Jane Smith", "-o", "jane.key")
    run("station-pack", "meeting.osel", "--station", "north", "--key", "jane.key", "-o", "north.oselpack",
        "--batch", "A=1-50", "--batch", "B=51-100")
    run("new", "--from-pack", "north.oselpack", "-o", "north.osel", "--officer", "Lead North")
    run("enter", "north.osel", "--teller", "Ann", "--batch", "A", "--single", stdin="1 2 3\n2 1\n3\n1\n")
    run("batch-export", "north.osel", "--batch", "A", "-o", "north-A.oselbatch")
    run("merge", "meeting.osel", "north-A.oselbatch")

    account = run("account", "meeting.osel").stdout
    assert "Station north: 1 batch merged, 4 papers." in account
    assert "  batch A: 4 papers (papers 1-4), merged." in account
    assert "  batch B (papers 51-100): issued, not returned yet." in account
    assert "All stations: 4 papers merged; 1 batch issued but not returned." in account
    assert "batch north/B was issued to station north and is not returned yet" in account

    refused = run("count", "meeting.osel", ok=False)  # a count over a batch still out needs a reason too
    assert "batch north/B was issued to station north" in refused.stderr
    run("count", "meeting.osel", "--override-reason", "a look before table north brings batch B back")
    refused = run("declare", "meeting.osel", "--officer", "Jane Smith", ok=False)
    assert "batch north/B was issued to station north and its batch file is not merged yet" in refused.stderr
    assert "--override-reason" in refused.stderr
    assert "DECLARED" not in run("log", "meeting.osel").stdout
    run("declare", "meeting.osel", "--officer", "Jane Smith", "--override-reason",
        "batch B was returned unopened: all its papers were unused")

    log = run("log", "meeting.osel", "--kind", "station_registered", "--kind", "batch_merged").stdout.splitlines()
    sha = hashlib.sha256((tmp_path / "north-A.oselbatch").read_bytes()).hexdigest()
    assert len(log) == 2
    assert "station north registered; batches issued: A (papers 1-50), B (papers 51-100); public key " in log[0]
    assert "; pack SHA-256 " + hashlib.sha256((tmp_path / "north.oselpack").read_bytes()).hexdigest() in log[0]
    assert (f"batch A of station north merged as north/A: 4 papers (papers 1-4) from north-A.oselbatch; "
            f"file SHA-256 {sha}") in log[1]


def test_the_lot_line_of_a_count_reads_naturally(tmp_path: Path) -> None:
    (tmp_path / "secretary.yaml").write_text(FPTP_TIE, encoding="utf-8")
    opensel("new", "secretary.yaml", "-o", "secretary.osel", "--officer", "Jane Smith", cwd=tmp_path)
    opensel("lot", "secretary.osel", "--witness", "Cai Lewis", "--chosen", "Bob Jones", cwd=tmp_path)
    text = opensel("count", "secretary.osel", cwd=tmp_path).stdout
    lot = [line for line in text.splitlines() if line.startswith("Lot ")]
    assert len(lot) == 1 and lot[0].startswith("Lot among Ann Hughes, Bob Jones: Bob Jones is elected, drawn by "
                                               "lot, recorded at stage ")
    assert "by recorded" not in text
    seeded = opensel("count", "secretary.yaml", "--seed", "2026", cwd=tmp_path).stdout
    assert re.search(r"^Lot among Ann Hughes, Bob Jones: .+ is elected, drawn by lot at stage \d+ from seed 2026\.$",
                     seeded, flags=re.M)


def test_docs_cover_round_and_stations_with_commands_this_build_has() -> None:
    """docs/cli.md's blocks are run by tests/test_cli_meeting.py::test_docs_cli_walkthrough; here: they show
    `round` and the station commands, and every command they use (hyphenated names too) exists."""
    from opensel_desktop.cli import COMMANDS, build_parser

    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    script = "\n".join(re.findall(r"```sh\n(.*?)```", doc, flags=re.S))
    used = set(re.findall(r"(?:^|\s)opensel ([a-z][\w-]*)", script, flags=re.M))
    assert {"round", "station-pack", "batch-export", "merge"} <= used
    parser = build_parser()
    names = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices
    assert used <= set(names)
    from opensel_desktop.cli import round as round_cmd

    assert round_cmd in COMMANDS and "not yet listed" not in (round_cmd.__doc__ or "").lower()
    quotas = (REPO / "docs" / "quotas-and-meetings.md").read_text(encoding="utf-8")
    assert "not listed" not in quotas and "opensel round MEETING.osel" in quotas
