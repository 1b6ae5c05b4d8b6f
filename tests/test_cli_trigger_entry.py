"""Issue 9: a trigger ballot's unit returns entered one by one from the command line (subprocesses only):
new from a contest with no returns, the running tally after each return, the threshold crossing, a changed
return refused without a reason and kept with its history with one, then count, declare, report, verify."""

from __future__ import annotations

import json
import os
import subprocess
from functools import partial
from pathlib import Path

from cli_run import run_opensel

ENV = {**os.environ, "OPENSEL_PASSPHRASE": "correct horse battery", "PYTHONIOENCODING": "utf-8"}

# labour-2018: one third of the units that voted, in either class. No unit has a return yet.
CONTEST = """format: opensel-contest/1
kind: trigger
organisation: Anytown CLP
title: Trigger ballot for the sitting member, Anytown
position: Member of Parliament, Anytown
date: 2026-11-25
returning_officer: Jane Smith
method:
  rule: trigger
trigger:
  member: Sam Sitting MP
  rule_set: labour-2018
  classes:
    - name: Party branches
      units: [Central ward, Riverside ward, Hillside ward, Old Town ward]
    - name: Affiliated branches
      units: [UNISON Health, GMB General]
"""


opensel = partial(run_opensel, env=ENV)


def ret(osel: Path, unit: str, decision: str, *more: str, ok: bool = True) \
        -> subprocess.CompletedProcess[str]:
    return opensel("unit-return", str(osel), "--unit", unit, "--decision", decision, "--reported-by",
                   "Branch secretary", *more, ok=ok)


def line_of(out: str, start: str) -> str:
    return next(line.strip() for line in out.splitlines() if line.strip().startswith(start))


def test_returns_one_by_one_then_count_declare_report_verify(tmp_path: Path) -> None:
    contest = tmp_path / "trigger.yaml"
    contest.write_text(CONTEST, encoding="utf-8")
    osel = tmp_path / "trigger.osel"
    opensel("new", str(contest), "-o", str(osel), "--officer", "Jane Smith")

    out = ret(osel, "Central ward", "no", "--for", "4", "--against", "11",
              "--meeting-date", "2026-10-01").stdout
    assert "Return of Central ward saved: no." in out
    assert line_of(out, "Party branches:").startswith("Party branches: 0 yes, 1 no, 3 did not vote")
    assert "Threshold not met" in out and "Party branches needs 1 more yes return" in out

    out = ret(osel, "Riverside ward", "no").stdout
    out = ret(osel, "Old Town ward", "did-not-vote").stdout
    assert line_of(out, "Party branches:").startswith("Party branches: 0 yes, 2 no, 2 did not vote")
    out = ret(osel, "UNISON Health", "no").stdout
    assert "Threshold not met" in out
    assert line_of(out, "Affiliated branches:").startswith("Affiliated branches: 0 yes, 1 no, 1 did not vote")

    # Hillside votes yes: 1 of 3 units that voted is exactly one third (met at >=): the threshold is crossed
    out = ret(osel, "hillside ward", "yes", "--for", "12", "--against", "7").stdout
    assert "Return of Hillside ward saved: yes." in out
    assert line_of(out, "Party branches:").endswith(": met.")
    assert "Threshold met under labour-2018: a full selection is triggered." in out

    # a disputed return: refused without a reason (nothing saved), kept with its history with one
    events_before = len(opensel("log", str(osel)).stdout.splitlines())
    refused = ret(osel, "Hillside ward", "no", ok=False)
    assert "already has a return (yes)" in refused.stderr and "--reason" in refused.stderr
    assert len(opensel("log", str(osel)).stdout.splitlines()) == events_before
    out = ret(osel, "Hillside ward", "no", "--for", "9", "--against", "10",
              "--reason", "Disputed: the branch recounted its cards").stdout
    assert "Return of Hillside ward saved: no (was yes; the earlier return stays on record)." in out
    assert "Threshold not met" in out and line_of(out, "Party branches:").endswith(": not met.")

    # refusals: an unknown unit, a unit's figures given half-way; nothing is journaled
    assert "no unit 'Eastmoor ward'" in ret(osel, "Eastmoor ward", "yes", ok=False).stderr
    ret(osel, "GMB General", "yes", "--for", "3", ok=False)
    assert len(opensel("log", str(osel)).stdout.splitlines()) == events_before + 1

    # the affiliates carry it alone (either class): GMB's yes is 1 of 2 that voted
    out = ret(osel, "GMB General", "yes").stdout
    assert line_of(out, "Affiliated branches:").endswith(": met.")
    assert "Threshold met" in out

    # both Hillside returns stay in the journal, oldest first
    lines = opensel("log", str(osel), "--json", "--kind", "unit_return_entered").stdout.splitlines()
    hillside = [json.loads(x)["data"] for x in lines if json.loads(x)["data"]["unit"] == "Hillside ward"]
    assert [h["return"]["decision"] for h in hillside] == ["yes", "no"]
    assert hillside[1]["return"]["reason"] == "Disputed: the branch recounted its cards"
    assert hillside[0]["return"]["for"] == 12 and hillside[1]["return"]["against"] == 10

    result = json.loads(opensel("count", str(osel), "--format", "json").stdout)
    assert result["rule"] == "trigger" and result["elected"] == []
    decision = result["decision"]
    assert decision["outcome"] == "triggered"
    assert decision["figures"]["Party branches"] == {"yes": 0, "no": 3, "did_not_vote": 1, "denominator": 3,
                                                     "needed": 1, "met": False}
    assert decision["figures"]["Affiliated branches"]["met"] is True
    changed = [(c["unit"], c["from"], c["to"]) for c in decision["changed_returns"]]
    assert changed == [("Hillside ward", "yes", "no")]

    key, pdf = tmp_path / "jane.key", tmp_path / "trigger.pdf"
    made = opensel("keygen", "--name", "Jane Smith", "-o", str(key)).stdout
    fingerprint = made.split("fingerprint (SHA-256): ", 1)[1].split()[0]
    # a trigger ballot has no papers, so its account has nothing to reconcile: no override is needed
    assert "Result declared" in opensel("declare", str(osel), "--officer", "Jane Smith", "--key", str(key)).stdout
    # after the declaration nothing more is entered
    assert "declared" in ret(osel, "Riverside ward", "yes", "--reason", "late", ok=False).stderr

    opensel("report", str(osel), "-o", str(pdf), "--sign", str(key))
    assert pdf.read_bytes().startswith(b"%PDF")
    verdict = opensel("verify", str(pdf), "--contest", str(osel)).stdout
    assert "OK" in verdict
    opensel("verify", str(osel), "--key", fingerprint)
    assert "All checks hold" in opensel("audit", str(osel), "--key", fingerprint).stdout


def test_a_hand_made_return_in_the_journal_is_refused_in_one_sentence(tmp_path: Path) -> None:
    """A journal someone rewrote (the chain recomputed) with a return the app would never journal."""
    from opensel_desktop.store import events as ev
    from opensel_desktop.store.journal import Draft, Journal

    contest = tmp_path / "trigger.yaml"
    contest.write_text(CONTEST, encoding="utf-8")
    osel = tmp_path / "trigger.osel"
    opensel("new", str(contest), "-o", str(osel), "--officer", "Jane Smith")
    journal = Journal.open(osel)
    try:
        forged = ev.UnitReturnEntered("Party branches", "Central ward", {"decision": "yes", "for": "lots"})
        journal.transact(0, lambda _new, _meta: [Draft(forged, "Mallory", "main", "2026-11-25T20:00:00.000Z")])
    finally:
        journal.close()
    for command in ("count", "audit"):
        refused = opensel(command, str(osel), ok=False)
        assert "its for figure is not a whole number" in refused.stderr
    assert "cannot be replayed" in ret(osel, "Central ward", "no", ok=False).stderr
