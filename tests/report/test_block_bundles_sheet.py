"""A block vote keyed as bundle totals: the declaration shows papers (from the account) and votes apart."""

from __future__ import annotations

import re
from pathlib import Path

from report_helpers import pdf_text

from opensel_desktop.app import declaring, entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.sheets import make_report
from opensel_desktop.contest.yaml_io import parse_contest

CONTEST = """\
format: opensel-contest/1
title: Election of two officers
returning_officer: Jane Smith
method: {rule: block, seats: 2}
candidates: [Ann Hughes, Bob Jones, Siân Evans]
channels:
  - {name: in-room, issued: 25, spoilt: 0, unused: 0, returned: 25}
"""


def test_bundles_of_a_block_vote_declare_papers_and_votes(tmp_path: Path) -> None:
    yaml_path = tmp_path / "officers.yaml"
    yaml_path.write_text(CONTEST, encoding="utf-8")
    path = tmp_path / "officers.osel"
    with Session.create(parse_contest(CONTEST.encode(), str(yaml_path)), path, "Jane Smith") as s:
        # 25 papers carrying 45 votes: 20 marked two candidates, 5 marked one
        entry.enter_bundle(s, "1", {"Ann Hughes": 20, "Bob Jones": 15, "Siân Evans": 10}, "Ann Teller", papers=25,
                       single=True)
        declaring.count_meeting(s)
        declaring.declare(s, "Jane Smith")
    pdf = tmp_path / "sheet.pdf"
    make_report(path, pdf, documents=("declaration",))
    text = " ".join(pdf_text(pdf).split())
    assert re.search(r"Valid papers 25\b", text), text[:600]
    assert re.search(r"Votes cast 45\b", text), text[:600]


def test_the_count_of_bundles_says_papers_and_votes_apart(tmp_path: Path) -> None:
    yaml_path = tmp_path / "officers.yaml"
    yaml_path.write_text(CONTEST, encoding="utf-8")
    with Session.create(parse_contest(CONTEST.encode(), str(yaml_path)), tmp_path / "o.osel", "Jane Smith") as s:
        entry.enter_bundle(s, "1", {"Ann Hughes": 20, "Bob Jones": 15, "Siân Evans": 10}, "Ann Teller", papers=25,
                       single=True)
        result = declaring.count_meeting(s)
    assert result.fmt(result.valid_poll) == "25"
    assert result.stages[0].reason.startswith("25 papers counted, 45 votes")
    assert result.elected == ("Ann Hughes", "Bob Jones")
