"""`av` against outside references: open-rcv-tests (hand-made IRV cases) and RCTab 2.0's own baselines.

Outputs of other programs are oracles only. The cast vote records are converted to our ballots here,
applying RCTab's documented per-case ballot rules (overvotes, skipped and repeated rankings) as a
truncation or a skip of the paper's rankings, so that the count itself is plain AV. Round k of the
reference is our stage k (stage 1 = first count, then one exclusion per stage).
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import pytest

from opensel_desktop.engine import Ballots, Election, count
from opensel_desktop.engine.ties import SeededLots, TieOrder

REF = Path(__file__).resolve().parent.parent / "data" / "reference-cases"
ORT = REF / "open-rcv-tests" / "tests"
RCTAB = REF / "rctab"


# ---- open-rcv-tests --------------------------------------------------------------------------------
def open_rcv_cases() -> list:
    data = json.loads((ORT / "irv.json").read_text(encoding="utf-8"))
    names = json.loads((ORT / "constants.json").read_text(encoding="utf-8"))["candidate_names"]
    out = []
    for case in data["test_cases"]:
        index = case["_meta"]["index"]
        out.append(pytest.param(case, names, id=f"open-rcv-{index}-{case['input']['_meta']['id']}"))
    return out


def open_rcv_election(case: dict, names: list[str], bulk: str) -> Election:
    ncand = case["input"]["candidate_count"]
    rankings = []
    for text in case["input"]["ballots"]:
        weight, *prefs = (int(t) for t in text.split())
        ranking: list[int] = []
        for p in prefs:  # a candidate ranked again later adds nothing: keep the first mention
            if p - 1 not in ranking:
                ranking.append(p - 1)
        rankings.append((ranking, weight))
    return Election(tuple(names[:ncand]), 1, Ballots.from_rankings(rankings),
                    options={"bulk_exclusion": bulk, "ties": "lot"})


@pytest.mark.parametrize(("case", "names"), open_rcv_cases())
def test_open_rcv_round_totals(case: dict, names: list[str]) -> None:
    batch = "batch_elimination" in case["_meta"].get("rules", [])
    rounds = case["output"]["rounds"]
    first = rounds[0]["totals"]
    low = min(first.values())
    if sum(v == low for v in first.values()) > 1 and len(rounds) == 1 and "elected" not in rounds[0]:
        # cases 2-5 and 10: a tie for last that the suite leaves unspecified; only round 1 is given
        election = open_rcv_election(case, names, "off")
        with pytest.raises(Exception, match="lot is needed"):
            count("av", election)
        result = count("av", election, SeededLots(1))
        assert result.stages[0].votes == first
        return
    # a case whose later rounds are not given may need a lot after them: a seeded draw settles it
    complete = any("elected" in r for r in rounds)
    result = count("av", open_rcv_election(case, names, "lt" if batch else "off"), None if complete else SeededLots(1))
    if batch:
        # upstream copied case 7's rounds into case 8 unchanged (the project says its expected outputs are
        # incomplete); under its own rules.md, Dave (0) and Bob (1) go together below Ann/Carol (2), so
        # only the first and last rounds can be compared
        compare = [(result.stages[0], rounds[0]), (result.stages[-1], rounds[-1])]
    else:
        compare = list(zip(result.stages, rounds, strict=False))
        assert len(result.stages) >= len(rounds)
    for stage, expected in compare:
        shown = {n: v for n, v in stage.votes.items() if n in expected["totals"]}
        assert shown == expected["totals"], f"stage {stage.number}"
        others = {n: v for n, v in stage.votes.items() if n not in expected["totals"]}
        assert all(v == 0 for v in others.values())  # excluded candidates hold nothing
    for expected, stage in zip(rounds, result.stages, strict=False):
        if "elected" in expected and not batch:
            assert list(stage.elected) == expected["elected"]
    winners = [r["elected"] for r in rounds if "elected" in r]
    if winners:
        assert list(result.elected) == winners[-1]


# ---- RCTab ---------------------------------------------------------------------------------------
# Cases used: single-winner IRV whose CVR is CDF JSON, Clear Ballot CSV or ES&S .xlsx (openpyxl) and whose
# ballot rules are static; tests/data/reference-cases/rctab/MANIFEST.md lists the rest
# of RCTab's single-winner cases and why they are not used.
RCTAB_CASES = (
    "2015_portland_mayor", "duplicate_test", "missing_precinct_example", "skip_to_next_test",
    "tiebreak_use_permutation_in_config_test",
    "aliases_cdf_json", "clear_ballot_kansas_primary", "test_set_0_skipped_first_choice",
    "test_set_1_exhaust_at_overvote", "test_set_2_overvote_skip_to_next", "test_set_3_skipped_choice_exhaust",
    "test_set_4_skipped_choice_next", "test_set_5_two_skipped_choice_exhaust", "test_set_6_duplicate_exhaust",
    "test_set_7_duplicate_skip_to_next", "test_set_8_multi_cdf",
)


def report_rules(name: str) -> dict:
    return json.loads((RCTAB / name / f"{name}_config.json").read_text(encoding="utf-8"))["rules"]


def rank_sets_cdf(path: Path, contest_name: str) -> list[dict[int, list[str]]]:
    """Each CVR as {rank: [candidate names marked at that rank]} for the named contest."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    election = doc["Election"][0]
    cand_name = {c["@id"]: c["Name"] for c in election["Candidate"]}
    contest = next(c for c in election["Contest"] if c["Name"] == contest_name)
    selection = {s["@id"]: cand_name[s["CandidateIds"][0]] for s in contest["ContestSelection"]}
    out = []
    for cvr in doc["CVR"]:
        snap = next(s for s in cvr["CVRSnapshot"] if s["@id"] == cvr["CurrentSnapshotId"])
        ranks: dict[int, list[str]] = {}
        for cc in snap["CVRContest"]:
            if cc["ContestId"] != contest["@id"]:
                continue
            for sel in cc.get("CVRContestSelection", []):
                for pos in sel["SelectionPosition"]:
                    if pos.get("HasIndication", "yes") == "yes":
                        ranks.setdefault(int(pos["Rank"]), []).append(selection[sel["ContestSelectionId"]])
        out.append(ranks)
    return out


def rank_sets_clear_ballot(path: Path, contest_name: str) -> list[dict[int, list[str]]]:
    """Clear Ballot columns read 'Choice_<n>_<m>:<contest>:<rank>:Vote For 1:<name>:<party>'; a 1 marks it."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    cols = []
    for k, head in enumerate(rows[0]):
        if head.startswith("Choice_"):
            parts = head.split(":")
            if parts[1] == contest_name:
                cols.append((k, int(parts[2]), parts[4]))
    out = []
    for row in rows[1:]:
        ranks: dict[int, list[str]] = {}
        for k, rank, name in cols:
            if row[k].strip() == "1":
                ranks.setdefault(rank, []).append(name)
        out.append(ranks)
    return out


def rank_sets_ess(path: Path, src: dict) -> list[dict[int, list[str]]]:
    """ES&S sheet: one row per paper, one column per rank from firstVoteColumnIndex (1-based), each cell a
    candidate name, the overvote label, the skipped-rank label or blank."""
    openpyxl = pytest.importorskip("openpyxl")
    first_col = int(src["firstVoteColumnIndex"]) - 1
    first_row = int(src["firstVoteRowIndex"]) - 1
    skipped = {"", src.get("skippedRankLabel") or "undervote"}
    overvote = src.get("overvoteLabel") or "overvote"
    with warnings.catch_warnings():  # "Unknown extension is not supported": an Excel feature the data does not use
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = list(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()
    out = []
    for row in rows[first_row:]:
        ranks: dict[int, list[str]] = {}
        for k, cell in enumerate(row[first_col:], start=1):
            text = "" if cell is None else str(cell).strip()
            if text in skipped:
                continue
            if src.get("undeclaredWriteInLabel") and text == src["undeclaredWriteInLabel"]:
                pytest.skip("undeclared write-ins: RCTab excludes them in round 1 whatever their votes")
            ranks[k] = [OVERVOTE, OVERVOTE] if text == overvote else [text]
        out.append(ranks)
    return out


OVERVOTE = "\x00overvote"  # two marks at one rank, as the other formats show an overvote


def ranking_under_rules(ranks: dict[int, list[str]], rules: dict, max_rank: int) -> list[str]:
    """RCTab's per-paper rules as a static reading of the paper (valid for the rule options used here)."""
    limit = max_rank if rules["maxRankingsAllowed"] == "max" else int(rules["maxRankingsAllowed"])
    skips_allowed = rules.get("maxSkippedRanksAllowed", "")
    skips_allowed = 10**6 if skips_allowed in ("", "unlimited") else int(skips_allowed)
    out: list[str] = []
    skipped = 0
    for rank in range(1, limit + 1):
        marks = ranks.get(rank, [])
        if not marks:
            skipped += 1
            continue
        if skipped > skips_allowed:
            break  # too many ranks skipped before this one: the paper is exhausted here
        skipped = 0
        if len(marks) > 1:
            if rules["overvoteRule"] == "exhaustImmediately":
                break
            continue  # alwaysSkipToNextRank
        name = marks[0]
        if name in out:
            if rules.get("exhaustOnDuplicateCandidate"):
                break
            continue
        out.append(name)
    return out


def rctab_case(name: str) -> tuple[Election, list[dict], dict]:
    folder = RCTAB / name
    cfg = json.loads((folder / f"{name}_config.json").read_text(encoding="utf-8"))
    rules = cfg["rules"]
    names = [c["name"] for c in cfg["candidates"]]
    alias = {a: c["name"] for c in cfg["candidates"] for a in [c["name"], *c.get("aliases", [])]}
    papers: list[dict[int, list[str]]] = []
    for src in cfg["cvrFileSources"]:
        path = (folder / src["filePath"]).resolve()
        if src["provider"] == "cdf":
            papers += rank_sets_cdf(path, src["contestId"])
        elif src["provider"] == "clearBallot":
            papers += rank_sets_clear_ballot(path, src["contestId"])
        elif src["provider"] == "ess":
            papers += rank_sets_ess(path, src)
        else:
            pytest.skip(f"{src['provider']} CVRs are not read by this test")
    max_rank = max((max(p) for p in papers if p), default=1)
    rankings: dict[tuple[int, ...], int] = {}
    for p in papers:
        ranks = {r: [alias.get(n, n) for n in marks] for r, marks in p.items()}
        order = tuple(names.index(n) for n in ranking_under_rules(ranks, rules, max_rank))
        if order:
            rankings[order] = rankings.get(order, 0) + 1
    bulk = "lt" if rules.get("batchElimination") else "off"
    withdrawn = frozenset(k for k, c in enumerate(cfg["candidates"]) if c.get("excluded"))
    election = Election(tuple(names), 1, Ballots.from_rankings(rankings.items()), withdrawn=withdrawn,
                        options={"bulk_exclusion": bulk, "ties": "lot"})
    report = json.loads(next(folder.glob("*_expected_detailed_report.json")).read_text(encoding="utf-8"))
    return election, report["results"], report


@pytest.mark.parametrize("name", sorted(RCTAB_CASES))
def test_rctab_round_tallies(name: str) -> None:
    election, rounds, report = rctab_case(name)
    # RCTab's useCandidateOrder: a lot goes against the candidate listed later, the tie_line: first_kept reading
    order = (TieOrder(election.names, "first_kept") if report_rules(name)["tiebreakMode"] == "useCandidateOrder"
             else None)
    result = count("av", election, order)
    assert len(result.stages) == len(rounds)
    for stage, expected in zip(result.stages, rounds, strict=True):
        tally = {n: int(v) for n, v in expected["tally"].items()}
        # RCTab lists "Undeclared Write-ins" as a candidate; these cases give it no votes
        assert all(v == 0 for n, v in tally.items() if n not in stage.votes)
        tally = {n: v for n, v in tally.items() if n in stage.votes}
        assert {n: stage.votes[n] for n in tally} == tally, f"round {expected['round']}"
        assert all(v == 0 for n, v in stage.votes.items() if n not in tally)
        assert stage.quota == int(expected["threshold"])
    winners = [r["elected"] for x in rounds for r in x["tallyResults"] if "elected" in r]
    assert list(result.elected) == winners
