"""Batch files merged in any order give the same count and the same ballot paper account,
and the merged file passes `opensel audit`."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
from collections import Counter

from station_helpers import LABELS, PAPERS, STATIONS, Meeting

from opensel_desktop.app import declaring
from opensel_desktop.app.audit import audit
from opensel_desktop.app.core import Session
from opensel_desktop.app.stations import MERGED, merge_batches, station_account
from opensel_desktop.contest.model import BallotSpec
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.contest.yaml_io import load_contest

SEED = "order test"  # a lot, if the count needs one, is drawn the same way every time


def merge_in_order(meeting: Meeting, name: str, order: tuple[str, ...]) -> tuple[str, list[str], dict, int]:
    path = meeting.fresh(name)
    with Session.open(path, "Jane Smith") as s:
        outcomes = merge_batches(s, [meeting.batches[k] for k in order], officer="Jane Smith")
        assert [o.status for o in outcomes] == [MERGED] * len(order), [o.message for o in outcomes]
        result = result_json(declaring.count_meeting(s, seed=SEED, journal=False))
        account = s.account()
        state = result, [*account.lines(), f"counted {account.counted}"], station_account(s).to_json_dict(), \
            sum(b.papers for b in s.batches())
    report = audit(path)  # every merged batch re-verified from the journal alone
    assert report.ok and any(c.name == "stations" and c.ok for c in report.checks), report.lines()
    return state


def test_sampled_import_orders_give_identical_counts_and_accounts(meeting: Meeting) -> None:
    keys = sorted(meeting.batches)
    assert len(keys) == 6
    orders = random.Random(720).sample(list(itertools.permutations(keys)), 50)
    seen = {merge_in_order(meeting, f"order-{i}.osel", order)[:3].__repr__() for i, order in enumerate(orders)}
    assert len(seen) == 1
    result, lines, account, papers = merge_in_order(meeting, "order-check.osel", orders[0])
    assert papers == len(STATIONS) * len(LABELS) * PAPERS
    assert [b["state"] for b in account["batches"]] == [MERGED] * 6
    assert [b["papers"] for b in account["batches"]] == [PAPERS] * 6
    assert lines[-1] == f"counted {papers}"


def test_merged_count_equals_the_papers_counted_directly(meeting: Meeting, tmp_path) -> None:
    """The same papers given in one contest file (no stations, no merge) count the same."""
    merged, *_ = merge_in_order(meeting, "direct-check.osel", tuple(sorted(meeting.batches)))
    grouped = Counter(tuple(p) for papers in meeting.papers.values() for p in papers)
    contest = load_contest(meeting.contest_yaml)
    from dataclasses import replace

    direct_contest = replace(contest, ballots=tuple(BallotSpec(m, n) for m, n in grouped.items()))
    with Session.create(direct_contest, tmp_path / "direct.osel", "Jane Smith") as s:
        direct = result_json(declaring.count_meeting(s, seed=SEED, journal=False))
    assert merged == direct


def test_partial_merge_shows_batches_not_returned_and_audit_passes(meeting: Meeting) -> None:
    path = meeting.fresh("partial.osel")
    with Session.open(path, "Jane Smith") as s:
        merge_batches(s, [meeting.batches["table-2/B"], meeting.batches["table-1/A"]])
        account = station_account(s)
        assert [(r.station, r.batch) for r in account.outstanding] == [
            ("table-1", "B"), ("table-2", "A"), ("table-3", "A"), ("table-3", "B")]
        assert account.papers("table-1") == PAPERS and account.papers() == 2 * PAPERS
        assert "4 batches issued but not returned." in account.lines()[-1]
        merge_batches(s, [meeting.batches[k] for k in sorted(meeting.batches)])  # two are repeats: no-ops
        declaring.count_meeting(s, seed=SEED, override_reason="no account kept at this test")
        assert station_account(s).outstanding == ()
        assert sum(1 for e in s.events() if e.kind == "batch_merged") == 6
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", "audit", str(path)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "ok   stations: 6 merged batch files re-verified" in proc.stdout
    assert "All checks hold." in proc.stdout


def test_audit_catches_a_rewritten_journal_whose_merged_entries_are_not_the_signed_files(meeting: Meeting) -> None:
    """Even with the hash chain recomputed by a forger, the merged entries must be the signed file's."""
    from opensel_desktop.app.stations import audit_merges
    from opensel_desktop.store.events import GENESIS, make_event

    path = meeting.fresh("forged.osel")
    with Session.open(path, "Jane Smith") as s:
        merge_batches(s, [meeting.batches["table-3/A"]])
        events = list(s.events())
    assert audit_merges(events) == (True, "1 merged batch file re-verified: signed by registered stations, keyed "
                                          "from the packs issued to them on this contest, chains intact, entries "
                                          "as signed, no paper claimed twice.")

    def rechain(change) -> list:
        out, prev = [], GENESIS
        for e in events:
            data = change(e.kind, e.data)
            forged = make_event(prev, e.seq, e.kind, e.actor, e.station, e.batch, e.at, data)
            out.append(forged)
            prev = forged.hash
        return out

    def swap_marks(kind: str, data: dict) -> dict:
        if kind == "batch_merged":
            data["entries"][0]["data"]["marks"] = [4, 3]
        return data

    ok, message = audit_merges(rechain(swap_marks))
    assert not ok and "replays entries that are not the signed file's" in message

    def other_key(kind: str, data: dict) -> dict:
        if kind == "station_registered" and data["station"] == "table-3":
            data["public_key"] = "11" * 32
        return data

    ok, message = audit_merges(rechain(other_key))
    assert not ok and "not signed by a station registered earlier" in message
