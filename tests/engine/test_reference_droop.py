"""Our Scottish, WIGM and Meek counts against Droop 0.14's reference reports, stage by stage.

Droop's reports (tests/data/reference-cases/droop/ref/report, GPL test data used as an oracle only) log one
`Action:` block per step of the count, each listing every candidate's vote at the report's decimals. A stage of
ours is one column of an official stage report, so the actions are grouped into stages here:

* the first count ("Begin Count"), with anyone elected on first preferences;
* Scottish/WIGM: each "Surplus transferred" and each "Transfer defeated" (the defeat before it and the
  elections that follow it belong to the same stage); Meek: each iteration that ends with an election, and
  each defeat (the figures of the iteration on which it was decided);
* candidates elected because the continuing candidates fill the places left ("Elect remaining") belong to
  the stage before (no column of unchanged figures), unless a defeat came between with no transfer.

Compared at every stage: each candidate's total, our non_transferable against Nontransferable + Residual (Meek:
the ballots less the candidates' votes, which is Droop's Residual whenever its Total is the whole poll), who
was elected and excluded. The order of election is compared where the report's order is meaningful (elections
by quota; candidates elected together at one stage compare as a set).

Documented rule choices that make our stages differ from the report's actions (docs/engine-differences.md):
Scottish never transfers a zero surplus (r.48: a surplus is the excess over the quota), so Droop's
"Surplus transferred: X (0.00000)" actions, which move nothing, are not stages of ours.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from opensel_desktop.app.counting import election_from_blt
from opensel_desktop.cli import main as cli_main
from opensel_desktop.engine import count
from opensel_desktop.engine.arithmetic import parse_fixed
from opensel_desktop.engine.errors import LotRequest
from opensel_desktop.engine.result import Lot, Result

DROOP = Path(__file__).resolve().parent.parent / "data" / "reference-cases" / "droop"
REPORTS = DROOP / "ref" / "report"

# report tag -> (our rule, rule options, decimals)
RULES = {
    "scotland-fixed-p5-d5": ("scottish", {}, 5),
    "wigm-prf-fixed-p4-d4": ("wigm", {}, 4),
    "wigm-prf-batch-fixed-p4-d4": ("wigm", {"defeat_sure_losers": True}, 4),
    "meek-prf-o6-fixed-p9-d9": ("meek", {}, 9),
}
STATES = ("Elected", "Pending", "Hopeful", "Defeated", "Withdrawn")


def norm(name: str) -> str:
    """Droop prints names with runs of spaces collapsed (Canal-2007's "Kieran  Wild "); we keep them as the
    BLT gives them, so both sides are compared with whitespace normalised."""
    return " ".join(name.split())


# ---- the report parser ------------------------------------------------------------------------------
@dataclass
class Action:
    round: int
    text: str  # everything after "Action: "
    votes: dict[str, int] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)  # Nontransferable votes, Residual, Total, Votes, Quota

    @property
    def kind(self) -> str:
        t = self.text
        for prefix, kind in (
            ("Begin Count", "begin"), ("Count Complete", "complete"), ("Break tie", "tie"),
            ("Elect remaining", "elect_remaining"), ("Defeat remaining", "defeat_remaining"),
            ("Elect pending", "elect_pending"), ("Elect", "elect"), ("Surplus transferred", "surplus"),
            ("Transfer defeated", "transfer_defeated"), ("Transfer high surplus", "transfer_high"),
            ("Defeat", "defeat"),
        ):
            if t.startswith(prefix):
                return kind
        raise ValueError(f"unknown Droop action {t!r}")


@dataclass
class Report:
    path: Path
    seats: int
    ballots: int
    quota: int
    places: int
    eligible: list[str]
    actions: list[Action]

    def split_names(self, text: str) -> list[str]:
        """Droop joins several names with ', '; names may hold commas themselves, so match known names."""
        out, parts = [], norm(text).split(", ")
        while parts:
            for k in range(1, len(parts) + 1):
                cand = ", ".join(parts[:k])
                if cand in self.eligible:
                    out.append(cand)
                    parts = parts[k:]
                    break
            else:
                raise ValueError(f"{self.path.name}: cannot split names {text!r}")
        return out

    def subjects(self, action: Action) -> list[str]:
        """The candidate(s) an action names after its last ': ' (a trailing '(surplus)' dropped)."""
        tail = action.text.rsplit(": ", 1)[1]
        tail = re.sub(r" \([-0-9.]+\)$", "", tail)
        return self.split_names(tail)

    def lots(self) -> list[tuple[frozenset[str], str]]:
        """Droop's draws by lot ('Break tie by lot (...): [A, B] -> A'), for replay."""
        out = []
        for a in self.actions:
            m = re.match(r"Break tie by lot \(.*\): \[(.*)\] -> (.*)$", a.text)
            if m:
                out.append((frozenset(self.split_names(m.group(1))), m.group(2)))
        return out


def parse_report(path: Path) -> Report:
    places = int(re.search(r"-d(\d+)\.txt$", path.name).group(1))
    header: dict[str, str] = {}
    eligible: list[str] = []
    actions: list[Action] = []
    rnd = 0
    report = Report(path, 0, 0, 0, places, eligible, actions)
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.lstrip()  # a name may end in a space (Canal-2007's "Kieran Wild "): keep the right side
        if not line.strip():
            continue
        if m := re.match(r"Round (\d+):\s*$", line):
            rnd = int(m.group(1))
        elif line.startswith("Action: "):
            actions.append(Action(rnd, line[len("Action: "):].rstrip("\r")))
        elif line.startswith("Add eligible: "):
            eligible.append(norm(line[len("Add eligible: "):]))
        elif not actions:
            key, _, value = line.partition(": ")
            header.setdefault(key, value)
        elif (m := re.match(r"(\w+):\s+(.*) \((-?[0-9.]+)\)\s*$", line)) and m.group(1) in STATES:
            for name in report.split_names(m.group(2)):
                actions[-1].votes[name] = parse_fixed(m.group(3), places)
        elif m := re.match(r"([A-Za-z ]+): (-?[0-9.]+)\s*$", line):
            actions[-1].figures[m.group(1)] = parse_fixed(m.group(2), places)
    report.seats = int(header["Seats"])
    report.ballots = int(header["Ballots"])
    report.quota = parse_fixed(header["Quota"], places)
    return report


# ---- from actions to stages --------------------------------------------------------------------------
@dataclass
class RefStage:
    votes: dict[str, int]
    non_transferable: int
    elected: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    label: str = ""


def reference_stages(report: Report, rule: str) -> list[RefStage]:
    unit = 10**report.places
    stages: list[RefStage] = []
    pending_defeats: list[str] = []

    def nt(a: Action) -> int:
        if rule == "meek":
            return report.ballots * unit - sum(a.votes.values())
        return a.figures["Nontransferable votes"] + a.figures["Residual"]

    def open_stage(a: Action) -> RefStage:
        st = RefStage(dict(a.votes), nt(a), excluded=list(pending_defeats), label=f"round {a.round}: {a.text}")
        pending_defeats.clear()
        stages.append(st)
        return st

    prev_kind, prev_round = "", 0
    for a in report.actions:
        kind = a.kind
        if kind == "begin":
            open_stage(a)
        elif kind == "surplus":
            moved = a.text.rsplit("(", 1)[1].rstrip(")")
            if rule == "scottish" and parse_fixed(moved, report.places) == 0:
                pass  # documented: a zero surplus is not transferred under r.48, so no stage of ours
            else:
                open_stage(a)
        elif kind == "transfer_defeated":
            open_stage(a)
        elif kind == "elect_remaining":
            if pending_defeats:
                open_stage(a)  # defeated, then the rest elected with no transfer (PRF B.2 / Meek C.1)
            stages[-1].elected += report.subjects(a)
        elif kind == "elect":
            names = report.subjects(a)
            if rule == "meek" and not (a.round == 1 or (prev_kind == "elect" and a.round == prev_round)):
                open_stage(a)  # a Meek stage ends at each election (round 1's happen on first preferences)
            stages[-1].elected += names
        elif kind == "defeat":
            pending_defeats += report.subjects(a)
            if rule == "meek":
                open_stage(a)
        elif kind in ("tie", "transfer_high", "complete", "defeat_remaining", "elect_pending"):
            pass
        if kind != "tie":
            prev_kind, prev_round = kind, a.round
    return stages


def reference_elected(report: Report) -> list[str]:
    order: list[str] = []
    for a in report.actions:
        if a.kind in ("elect", "elect_remaining"):
            order += [n for n in report.subjects(a) if n not in order]
    return order


# ---- replaying Droop's lots ------------------------------------------------------------------------------
class ReportLots:
    """A tie source answering each lot exactly as the reference report records it was drawn."""

    def __init__(self, lots: list[tuple[frozenset[str], str]]):
        self.lots = list(lots)

    def draw(self, request: LotRequest) -> Lot | None:
        for i, (among, chosen) in enumerate(self.lots):
            if among == frozenset(request.among):
                del self.lots[i]
                return Lot(request.stage, tuple(request.among), chosen, request.purpose, "recorded")
        return None


# ---- the cases ----------------------------------------------------------------------------------------
def cases() -> list:
    out = []
    for tag in RULES:
        for path in sorted(REPORTS.rglob(f"*-{tag}.txt")):
            stem = path.name[: -len(f"-{tag}.txt")]
            blt = path.parent.relative_to(REPORTS) / f"{stem}.blt"
            out.append(pytest.param(tag, path, DROOP / "blt" / blt, id=f"{stem}-{tag}"))
    return out


def run_ours(tag: str, blt: Path, report: Report) -> Result:
    rule, options, _ = RULES[tag]
    election, _ = election_from_blt(blt, None)
    election = replace(election, options=dict(options))
    ties = ReportLots(report.lots()) if rule == "scottish" else None  # wigm/meek: their own preset order
    return count(rule, election, ties)


def test_every_report_in_scope_is_collected():
    # 11 Glasgow wards + weak-defeat/weak-surplus for Scottish; 42, 42t, 42u, 513, M135, SC, SC-Vm-12, SCw,
    # SCwopt for every rule.
    found = cases()
    assert len(found) == 13 + 9 * 4
    assert all(p.values[2].exists() for p in found)


@pytest.mark.parametrize(("tag", "report_path", "blt"), cases())
def test_reproduces_droop_report(tag: str, report_path: Path, blt: Path):
    report = parse_report(report_path)
    rule = RULES[tag][0]
    result = run_ours(tag, blt, report)
    assert result.places == report.places
    assert result.seats == report.seats
    assert result.quota == report.quota, "quota at the first stage"
    assert result.valid_poll == report.ballots * 10**report.places

    expected = reference_stages(report, rule)
    got = result.stages
    for k, (ref, st) in enumerate(zip(expected, got, strict=False), 1):
        where = f"stage {k} ({ref.label})"
        assert {norm(n): v for n, v in st.votes.items()} == ref.votes, where
        assert st.non_transferable == ref.non_transferable, where
        assert sorted(map(norm, st.excluded)) == sorted(ref.excluded), where
        assert sorted(map(norm, st.elected)) == sorted(ref.elected), where
    assert len(got) == len(expected), [s.action for s in got]

    # order of election: by stage; within one stage (elected together) as a set
    ref_order = reference_elected(report)
    elected = [norm(n) for n in result.elected]
    assert list(result.elected) == [n for st in got for n in st.elected]
    assert sorted(elected) == sorted(ref_order)
    pos = 0
    for ref in expected:
        assert sorted(elected[pos: pos + len(ref.elected)]) == sorted(ref.elected)
        pos += len(ref.elected)


def test_parser_reads_linn_stage_two_from_the_report():
    report = parse_report(REPORTS / "scotland" / "Linn-2007-scotland-fixed-p5-d5.txt")
    st = reference_stages(report, "scottish")
    assert st[1].votes["Esme H Clark"] == 90513482  # 905.13482, the official figure
    assert st[1].votes["Margot Clark"] == 130294200
    assert report.quota == 191400000


# ---- the acceptance path: the command line, JSON at the rule's decimals -------------------------------------
def cli_json(blt: Path, rule: str, capsys) -> dict:
    """`opensel count BLT --rule R --format json`, in this process (test_scottish.py runs the real command)."""
    code = cli_main(["count", str(blt), "--rule", rule, "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


GLASGOW = sorted((REPORTS / "scotland").glob("*-2007-scotland-fixed-p5-d5.txt"))


@pytest.mark.parametrize(
    ("tag", "report_path"),
    [pytest.param("scotland-fixed-p5-d5", p, id=p.name[: -len("-scotland-fixed-p5-d5.txt")]) for p in GLASGOW]
    + [pytest.param("wigm-prf-fixed-p4-d4", REPORTS / "M135-wigm-prf-fixed-p4-d4.txt", id="M135-wigm"),
       pytest.param("meek-prf-o6-fixed-p9-d9", REPORTS / "SCw-meek-prf-o6-fixed-p9-d9.txt", id="SCw-meek")],
)
def test_command_line_json_matches_the_report_to_its_decimals(tag: str, report_path: Path, capsys):
    report = parse_report(report_path)
    rule = RULES[tag][0]
    stem = report_path.name[: -len(f"-{tag}.txt")]
    blt = DROOP / "blt" / report_path.parent.relative_to(REPORTS) / f"{stem}.blt"
    out = cli_json(blt, rule, capsys)
    fmt = lambda v: f"{v // 10**report.places}.{v % 10**report.places:0{report.places}d}"  # noqa: E731
    assert out["rule"] == rule
    assert out["quota"] == fmt(report.quota)
    expected = reference_stages(report, rule)
    assert len(out["stages"]) == len(expected)
    for k, (ref, st) in enumerate(zip(expected, out["stages"], strict=True), 1):
        assert {norm(n): v for n, v in st["votes"].items()} == {n: fmt(v) for n, v in ref.votes.items()}, k
        assert st["non_transferable"] == fmt(ref.non_transferable), k
    assert sorted(map(norm, out["elected"])) == sorted(reference_elected(report))
