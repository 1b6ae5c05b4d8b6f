"""Trigger ballot: a tally of unit decisions in classes against a threshold (Labour's trigger ballots).

Rule sets are named and versioned; each fixes a threshold per class, the denominator and how classes
combine. Labour Rule Book (2018 NEC rule change, Ch.5 Cl.IV.5.B): "If either one third or more of Party
branches, or one third or more of affiliated branches, indicate that they wish a selection to take
place, a selection shall proceed" -- two classes, OR, one third, met at >= (hence `ge`). 2019 General
Secretary FAQ: the fraction is of units that cast a vote (`denominator: voting`). 2021: one half per
press reports only; OR kept until a rule book says otherwise, and the sheet says "verify".

Each unit carries its returns in the order received. The latest return counts; earlier ones stay in
the record (a later return needs a reason), so a late or disputed return never overwrites history.
A unit with no return, or whose latest return is "none", did not vote.

Input: `Election.extra["trigger"]`, the plain mapping `contest/kinds.py` validates (documented in
docs/quotas-and-meetings.md). Output: a Result with one "round" stage and a `decision`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.engine.ties import TieSource

RULE = "trigger"
VERSION = "trigger-1"
TITLE = "Trigger ballot (tally of unit decisions)"

DECISIONS = ("yes", "no", "none")
COMBINES = ("or", "and", "pooled")
DENOMINATORS = ("voting", "all")


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    threshold: Fraction
    combine: str  # "or": any class meeting its threshold triggers; "and": every class must; "pooled": one class
    denominator: str  # "voting": units that cast a decision; "all": every unit listed
    verify: str = ""  # printed on the sheet where the source is not settled


RULE_SETS: dict[str, RuleSet] = {
    "labour-2018": RuleSet("labour-2018", Fraction(1, 3), "or", "voting"),
    "labour-2021": RuleSet(
        "labour-2021", Fraction(1, 2), "or", "voting",
        verify="Threshold of one half per 2021 press reports; whether both classes must reach it is not "
               "settled by any source found: verify against your current rule book.",
    ),
}


@dataclass(frozen=True, slots=True)
class Return:
    """One unit's reported decision. `reason` explains any return after the first."""

    decision: str  # "yes" | "no" | "none" (did not vote)
    reason: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    abstain: int | None = None
    meeting: str = ""
    reported_by: str = ""
    how: str = ""
    received: str = ""


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    returns: tuple[Return, ...] = ()

    @property
    def decision(self) -> str:
        return self.returns[-1].decision if self.returns else "none"


@dataclass(frozen=True, slots=True)
class UnitClass:
    name: str
    units: tuple[Unit, ...]
    threshold: Fraction


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    rule_set: str
    version: str
    classes: tuple[UnitClass, ...]
    combine: str
    denominator: str
    member: str = ""
    verify: str = ""


@dataclass(frozen=True, slots=True)
class ClassTally:
    name: str
    yes: int
    no: int
    not_voted: int
    denominator: int
    threshold: Fraction
    needed: int  # yes decisions needed to meet the threshold
    met: bool


def fraction(text: object) -> Fraction:
    """'1/3', '0.5', 50% -> Fraction; exact, never via floats."""
    s = str(text).strip()
    if s.endswith("%"):
        return Fraction(s[:-1].strip()) / 100
    return Fraction(s)


def spec_from_plain(plain: Mapping[str, object]) -> TriggerSpec:
    """The engine's view of the validated `trigger` section."""
    name = str(plain.get("rule_set") or "labour-2018")
    if name not in RULE_SETS and name != "custom":
        raise CountError(f"Unknown trigger rule set {name!r}; choose one of: {', '.join(RULE_SETS)}, custom.")
    base = RULE_SETS.get(name)
    overridden = False

    def pick(key: str, default: object) -> object:
        nonlocal overridden
        value = plain.get(key)
        if value is None:
            if default is None:
                raise CountError(f"The trigger rule set 'custom' needs `{key}` in the trigger section.")
            return default
        if base is None or value != default:
            overridden = True
        return value

    combine = str(pick("combine", base.combine if base else None))
    denominator = str(pick("denominator", base.denominator if base else None))
    default_threshold = fraction(pick("threshold", str(base.threshold) if base else None))
    if combine not in COMBINES or denominator not in DENOMINATORS:
        raise CountError(f"Trigger options must be combine: {' | '.join(COMBINES)} and denominator: "
                         f"{' | '.join(DENOMINATORS)}.")
    classes = []
    for k in plain.get("classes") or ():  # type: ignore[attr-defined]
        threshold = fraction(k["threshold"]) if k.get("threshold") is not None else default_threshold
        if threshold != default_threshold:
            overridden = True
        units = tuple(
            Unit(str(u["name"]), tuple(
                Return(
                    decision=str(r["decision"]), reason=str(r.get("reason") or ""),
                    votes_for=r.get("for"), votes_against=r.get("against"), abstain=r.get("abstain"),
                    meeting=str(r.get("meeting") or ""), reported_by=str(r.get("reported_by") or ""),
                    how=str(r.get("how") or ""), received=str(r.get("received") or ""),
                )
                for r in u.get("returns") or ()
            ))
            for u in k.get("units") or ()
        )
        classes.append(UnitClass(str(k["name"]), units, threshold))
    if not classes:
        raise CountError("A trigger ballot needs at least one class of units (for example branches, affiliates).")
    version = name + ("-modified" if overridden and base else "")
    return TriggerSpec(name, version, tuple(classes), combine, denominator, str(plain.get("member") or ""),
                       base.verify if base and not overridden else "")


def needed_for(threshold: Fraction, denominator: int) -> int:
    """Smallest yes count with yes/denominator >= threshold (met at >=; 0 units voting never triggers)."""
    if denominator == 0:
        return 1
    need = threshold * denominator
    return max(1, -((-need.numerator) // need.denominator))


def tally_class(units: Sequence[Unit], threshold: Fraction, denominator: str, name: str = "") -> ClassTally:
    yes = sum(1 for u in units if u.decision == "yes")
    no = sum(1 for u in units if u.decision == "no")
    not_voted = len(units) - yes - no
    denom = yes + no if denominator == "voting" else len(units)
    needed = needed_for(threshold, denom)
    return ClassTally(name, yes, no, not_voted, denom, threshold, needed, denom > 0 and yes >= needed)


def tally(spec: TriggerSpec) -> tuple[bool, list[ClassTally]]:
    """The running tally: may be called after each return is entered (live display in GUI and CLI)."""
    if spec.combine == "pooled":
        units = [u for k in spec.classes for u in k.units]
        pooled = tally_class(units, spec.classes[0].threshold, spec.denominator, "all units")
        return pooled.met, [pooled]
    tallies = [tally_class(k.units, k.threshold, spec.denominator, k.name) for k in spec.classes]
    met = [t.met for t in tallies]
    return (any(met) if spec.combine == "or" else all(met)), tallies


def decision(spec: TriggerSpec) -> dict[str, object]:
    triggered, tallies = tally(spec)
    changed = [
        {"unit": u.name, "class": k.name, "from": prev.decision, "to": r.decision, "reason": r.reason,
         "received": r.received, "reported_by": r.reported_by}
        for k in spec.classes for u in k.units
        for prev, r in zip(u.returns, u.returns[1:], strict=False)
    ]
    # Newham 2017: a decision that its own figures contradict is flagged, never changed
    inconsistent = [
        u.name for k in spec.classes for u in k.units if u.returns
        and u.returns[-1].votes_for is not None and u.returns[-1].votes_against is not None
        and u.decision in ("yes", "no")
        and (u.returns[-1].votes_for > u.returns[-1].votes_against) != (u.decision == "yes")
        and u.returns[-1].votes_for != u.returns[-1].votes_against
    ]
    return {
        "outcome": "triggered" if triggered else "not triggered",
        "figures": {
            t.name: {"yes": t.yes, "no": t.no, "did_not_vote": t.not_voted, "denominator": t.denominator,
                     "needed": t.needed, "met": t.met}
            for t in tallies
        },
        "threshold": {t.name: f"{t.threshold.numerator}/{t.threshold.denominator}" for t in tallies},
        "denominator": spec.denominator,
        "combine": spec.combine,
        "comparison": "ge",
        "rule_set": spec.rule_set,
        "member": spec.member,
        "changed_returns": changed,
        "figures_disagree": inconsistent,
        **({"verify": spec.verify} if spec.verify else {}),
    }


def class_sentence(t: ClassTally, denominator: str) -> str:
    of = "units that voted" if denominator == "voting" else "units"
    frac = f"{t.threshold.numerator}/{t.threshold.denominator}"
    return (f"{t.name}: {t.yes} yes, {t.no} no, {t.not_voted} did not vote; {t.yes} of {t.denominator} {of} "
            f"against a threshold of {frac} ({t.needed} needed): {'met' if t.met else 'not met'}")


def count(election: Election, ties: TieSource | None = None) -> Result:
    plain = election.extra.get("trigger")
    if not isinstance(plain, Mapping):
        raise CountError("A trigger ballot needs a `trigger` section listing the units and their decisions.")
    spec = spec_from_plain(plain)
    triggered, tallies = tally(spec)
    votes: dict[str, int] = {}
    for t in tallies:
        votes[f"{t.name}: yes"] = t.yes
        votes[f"{t.name}: no"] = t.no
        votes[f"{t.name}: did not vote"] = t.not_voted
    how = {"or": "either class meeting its threshold triggers a selection",
           "and": "every class must meet its threshold", "pooled": "all units are counted as one class"}
    reason = "; ".join(class_sentence(t, spec.denominator) for t in tallies) + f". Under {spec.version} {how[spec.combine]}: " + (
        "a full selection is triggered." if triggered else "no selection is triggered.")
    flagged = decision(spec)["figures_disagree"]
    if flagged:
        reason += (f" Note: the decision returned by {', '.join(flagged)} (counted as returned) does not match "  # type: ignore[arg-type]
                   "its own vote figures.")
    units = sum(votes.values())  # every unit listed, so that votes + non-transferable = poll
    stage = Stage(number=1, action="round", subjects=(), votes=votes, exhausted=0, rounding_loss=0, quota=0,
                  reason=reason)
    return Result(
        rule=RULE, rule_version=spec.version, seats=election.seats, places=0, quota=0, valid_poll=units,
        names=tuple(votes), withdrawn=(), elected=(), stages=(stage,),
        parameters={"rule_set": spec.rule_set, "combine": spec.combine, "denominator": spec.denominator,
                    "comparison": "ge"},
        decision=decision(spec), title=election.title,
    )
