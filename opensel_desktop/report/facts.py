"""Facts every sheet words the same way: who was elected or excluded at which stage, and why.

The reasons come from the count itself (the stages' actions, quotas, lots and the constraint facts
the engine records), never from parsing the engine's sentences, so the declaration, the stage
report and the charts cannot disagree about why a candidate was elected.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.engine.rule_facts import DECISION_RULES, FACTS, PLURALITY_RULES, X_RULES
from opensel_desktop.report.figures import figure

RULE_TITLES = {
    "scottish": "Single transferable vote (Scottish rules, SSI 2007/42)",
    "ers97": "Single transferable vote (ERS 1997 rules)",
    "wigm": "Single transferable vote (weighted inclusive Gregory method)",
    "meek": "Single transferable vote (Meek method)",
    "av": "Alternative vote (instant run-off)",
    "fptp": "First past the post",
    "block": "Block vote",
    "exhaustive": "Exhaustive ballot",
    "motion": "Motion",
    "trigger": "Trigger ballot",
}

ACTION_TITLES = {
    "first": "First preferences",
    "surplus": "Surplus of {who}",
    "exclusion": "Exclusion of {who}",
    "bulk_exclusion": "Exclusion of {who}",
    "deferral": "Surplus deferred",
    "lot": "Lot drawn",
    "constraint": "Constraint applied",
    "election": "Election",
    "round": "Round {n}",
}


def rule_title(rule: str) -> str:
    return RULE_TITLES.get(rule, rule)


def action_title(stage: Stage) -> str:
    return ACTION_TITLES.get(stage.action, stage.action).format(who=", ".join(stage.subjects), n=stage.number)


def fig(result: Result, value: int, signed: bool = False) -> str:
    """A figure of this count as people read it (thousands separators, whole values whole)."""
    return figure(value, result.places, signed=signed)


def is_ranked(result: Result) -> bool:
    return result.rule not in PLURALITY_RULES + DECISION_RULES


def quota_word(result: Result) -> str:
    """AV needs a majority of the continuing votes, which falls as papers exhaust; STV has a quota."""
    facts = FACTS.get(result.rule)
    return (facts.winning_line if facts else "") or "quota"


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where a candidate's count ended and why, in a long and a short form."""

    kind: str  # "elected" | "excluded" | "not elected" | "withdrawn"
    stage: int | None
    figure: int | None  # the votes they had when elected or excluded, or at the last stage
    why: str  # "Elected at stage 3: a majority of the continuing votes"
    short: str  # "Elected 3" (at stage 3), "Excl. 5", "Elim. rd 2", for a compact table with a legend
    mark: str = ""  # a key into REASON_NOTES for the short form's footnote


# the footnotes of the compact declaration table (a large field): mark -> what it means
REASON_NOTES = {
    "q": "reached the quota",
    "m": "had more than half of the continuing votes",
    "h": "had more than half of the valid votes in that round",
    "t": "among the highest votes",
    "l": "elected without reaching the quota, as the last place(s): no more candidates were left than places",
    "r": "elected to a reserved place",
    "c": "by a constraint on who may be elected",
    "u": "elected unopposed: no more candidates remained than places",
    "d": "decided by lot after an equality of votes",
    "p": "passed over to meet a constraint on who may be elected",
    "b": "excluded together with others (bulk exclusion)",
}


def outcome(result: Result, name: str) -> Outcome:
    """Why `name` was elected or not, from the stages, the lots and the constraint facts."""
    if name in result.withdrawn:
        return Outcome("withdrawn", None, None, "Withdrawn before the count", "Withdrawn")
    rounds = result.rule == "exhaustive"
    where = "round" if rounds else "stage"
    single = len(result.stages) == 1
    for st in result.stages:
        if name in st.elected:
            at = "" if single else f" {where} {st.number}"
            why, mark = _why_elected(result, st, name)
            short = "Elected" + ("" if single else f" rd {st.number}" if rounds else f" {st.number}")
            return Outcome("elected", st.number, st.votes.get(name), f"Elected{_at(at)}: {why}", short, mark)
    for st in result.stages:
        if name in st.excluded:
            prev = result.stages[st.number - 2] if st.number > 1 else None
            votes = st.votes.get(name, 0)
            if not votes and prev is not None:
                votes = prev.votes.get(name, 0)
            why, mark = _why_excluded(result, st, name)
            if rounds:
                return Outcome("excluded", st.number, votes, f"Eliminated after round {st.number}: {why}",
                               f"Elim. rd {st.number}", mark)
            at = "" if single else f" at stage {st.number}"
            return Outcome("excluded", st.number, votes, f"Excluded{at}: {why}",
                           "Excl." + ("" if single else f" {st.number}"), mark)
    last = result.stages[-1] if result.stages else None
    votes = last.votes.get(name) if last is not None else None
    passed = any(name in st.passed_over for st in result.stages)
    if passed:
        return Outcome("not elected", None, votes, "Not elected: passed over for a constraint", "Not elected", "p")
    return Outcome("not elected", None, votes, "Not elected", "Not elected")


def _at(text: str) -> str:
    return text.replace(" stage", " at stage").replace(" round", " in round") if text else ""


def _lot_for(result: Result, stage: int, name: str, purposes: tuple[str, ...]) -> bool:
    return any(lot.stage == stage and lot.chosen == name and lot.purpose in purposes for lot in result.lots)


def _why_elected(result: Result, st: Stage, name: str) -> tuple[str, str]:
    reserved = dict(st.reserved)
    if name in reserved:
        return f"reserved place ({reserved[name]})", "r"
    if st.action == "constraint":
        return "by a constraint", "c"
    if st.action == "election" and result.rule == "exhaustive":
        return "unopposed", "u"
    if _lot_for(result, st.number, name, ("elect",)) or st.action == "lot":
        return "by lot (equal votes)", "d"
    votes = st.votes.get(name, 0)
    if result.rule in X_RULES:
        return ("open place, highest votes" if st.reserved else
                "most votes" if result.seats == 1 else f"among the {result.seats} highest"), "t"
    if result.rule == "exhaustive":
        if votes >= st.quota > 0:
            return "more than half the valid votes", "h"
        return "unopposed", "u"
    threshold = st.threshold if st.threshold is not None else st.quota
    if result.rule == "av":
        if votes >= threshold > 0:
            return "majority of continuing votes", "m"
        return "last candidate left", "l"
    if threshold and votes >= threshold:
        return "reached the quota", "q"
    return "last place, below the quota", "l"


def _why_excluded(result: Result, st: Stage, name: str) -> tuple[str, str]:
    if st.action == "constraint" or any(name in note for note in st.constraints_applied if "doomed" in note):
        return "by a constraint", "c"
    if _lot_for(result, st.number, name, ("exclude",)):
        return "by lot (equal fewest votes)", "d"
    if result.rule == "exhaustive":
        return ("fewest votes" if len(st.excluded) == 1 else "fewest votes, with others"), ""
    if st.action == "bulk_exclusion" or len(st.excluded) > 1:
        return "fewest votes, with others", "b"
    return "fewest votes", ""


def elected_stage(result: Result, name: str) -> int | None:
    for st in result.stages:
        if name in st.elected:
            return st.number
    return None


def excluded_stage(result: Result, name: str) -> int | None:
    for st in result.stages:
        if name in st.excluded:
            return st.number
    return None


def last_stage_line(result: Result) -> str:
    """The final-stage line of a declaration: continuing votes, exhausted papers, quota or majority."""
    if not result.stages:
        return ""
    last = result.stages[-1]
    gone = {n for st in result.stages for n in st.excluded}
    continuing = sum(v for n, v in last.votes.items() if n not in gone)
    if result.rule in X_RULES:
        return ""
    word = "round" if result.rule == "exhaustive" else "stage"
    head = f"At the last {word} ({word} {last.number}): "
    if result.rule == "exhaustive":
        return head + (f"{fig(result, sum(last.votes.values()))} valid votes; more than half of them, "
                       f"{fig(result, last.quota)}, was needed for election.")
    parts = [f"{fig(result, continuing)} votes for the candidates still in the count"]
    if result.rule == "av":
        parts.append(f"{fig(result, last.exhausted)} papers exhausted (no further preference)")
        tail = f"more than half of the continuing votes, {fig(result, last.quota)}, was needed."
    else:
        nt = f"{fig(result, last.non_transferable)} non-transferable"
        if last.rounding_loss:
            nt += (f" ({fig(result, last.exhausted)} with no further preference and "
                   f"{fig(result, last.rounding_loss)} lost to rounding)")
        parts.append(nt)
        q = last.threshold if last.threshold is not None else last.quota
        tail = f"the quota was {fig(result, q)}."
    return head + "; ".join(parts) + "; " + tail


def lot_sentence(lot, witness: str = "") -> str:
    """The statement a UK result sheet carries after an equality of votes, with how the lot was drawn."""
    among = _and(list(lot.among))
    purpose = {"exclude": "to be excluded", "surplus": "whose surplus is transferred first",
               "elect": "to be elected", "keep": "to stay in the count"}.get(lot.purpose, f"({lot.purpose})")
    how = {"recorded": "drawn in the room and the outcome recorded",
           "tie-order": "taken from the order drawn before the count",
           "seed": f"drawn by the documented seeded draw (seed {lot.seed})"}.get(lot.how, lot.how)
    seen = f", witnessed by {witness}" if witness else ""
    return (f"Following an equality of votes at stage {lot.stage} between {among}, lots were {how}{seen}, "
            f"and {lot.chosen} was chosen {purpose}.")


def _and(names: list[str]) -> str:
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def and_list(names: list[str]) -> str:
    return _and(names)


def esc(text: object) -> str:
    """Escape for reportlab Paragraph markup (names may contain & or <)."""
    return escape(str(text))
