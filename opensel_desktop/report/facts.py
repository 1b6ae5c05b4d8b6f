"""Facts every sheet words the same way: who was elected or excluded at which stage, and why."""

from __future__ import annotations

from xml.sax.saxutils import escape

from opensel_desktop.engine.result import Result, Stage

PLURALITY_RULES = ("fptp", "block", "exhaustive")
DECISION_RULES = ("motion", "trigger")
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


def outcome(result: Result, name: str) -> str:
    """'Elected at stage 3', 'Excluded at stage 2', 'Not elected' or 'Withdrawn'."""
    if name in result.withdrawn:
        return "Withdrawn"
    rounds = result.rule == "exhaustive"  # each round is a new vote: "in round 2", "eliminated"
    for st in result.stages:
        if name in st.elected:
            if len(result.stages) == 1:
                return "Elected"
            return f"Elected in round {st.number}" if rounds else f"Elected at stage {st.number}"
    if name in result.elected:
        return "Elected"
    for st in result.stages:
        if name in st.excluded:
            if len(result.stages) == 1:
                return "Excluded"
            return f"Eliminated after round {st.number}" if rounds else f"Excluded at stage {st.number}"
    return "Not elected"


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


def lot_sentence(lot) -> str:
    """The statement DOMAIN.md 2.5 asks for on the result sheet."""
    among = _and(list(lot.among))
    purpose = {"exclude": "to be excluded", "surplus": "whose surplus is transferred first",
               "elect": "to be elected", "keep": "to stay in the count"}.get(lot.purpose, f"({lot.purpose})")
    how = {"recorded": "drawn in the room and recorded", "tie-order": "taken from the order fixed in advance",
           "seed": f"drawn by the documented seeded draw (seed {lot.seed})"}.get(lot.how, lot.how)
    return (f"Following an equality of votes at stage {lot.stage} between {among}, lots were {how}, "
            f"and {lot.chosen} was chosen {purpose}.")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def esc(text: object) -> str:
    """Escape for reportlab Paragraph markup (names may contain & or <)."""
    return escape(str(text))
