"""Meeting motion: for / against / abstain against the majority the rules require.

Majorities (named options, `motion-1`):
* simple: more votes for than against; abstentions are not votes.
* absolute: more than half of the denominator.
* two_thirds: two thirds or more of the denominator (met at >=).
Denominators: `voting` = for + against (+ abstentions when `abstentions: counted`), `present` = members
present (the figure must be given). Equality of votes (for == against) with `casting_vote_rule`:
`chair` (the chair's casting vote, recorded as `casting_vote: for | against`, is added and the test is
applied again), `status_quo` (the chair votes against change, so the motion is lost) or `none` (an
equality is not a majority: lost). The engine never asks: a tie under `chair` with no recorded casting
vote is refused with what to record.

Figures come from the `motion` section (a count of cards), or from X-vote papers for candidates named
For / Against / Abstain when the section gives no figures.
Input: `Election.extra["motion"]` as validated by contest/kinds.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.engine.ties import TieSource

RULE = "motion"
VERSION = "motion-1"
TITLE = "Motion (simple, absolute or two-thirds majority)"

MAJORITIES = ("simple", "absolute", "two_thirds")
DENOMINATORS = ("voting", "present")
CASTING_RULES = ("chair", "status_quo", "none")
WORDS = {"simple": "more votes for than against", "absolute": "more than half",
         "two_thirds": "two thirds or more"}


def figures_from_ballots(election: Election) -> dict[str, int]:
    """X-vote papers for candidates named For / Against / Abstain (case-insensitive)."""
    index = {n.strip().lower(): i for i, n in enumerate(election.names)}
    if "for" not in index or "against" not in index:
        raise CountError("A motion needs its figures (for, against, abstain) in the `motion` section, or papers "
                         "marked for candidates named For and Against.")
    totals = [0] * election.ncand
    for ranking, weight in election.ballots.rankings():
        if len(ranking) == 1:  # a paper with more than one mark is void for uncertainty
            totals[ranking[0]] += weight
    return {k: totals[index[k]] if k in index else 0 for k in ("for", "against", "abstain")}


def carried(votes_for: int, against: int, denom: int, majority: str) -> bool:
    if votes_for == 0:  # nothing for is never a majority, even of an empty meeting
        return False
    if majority == "simple":
        return votes_for > against
    if majority == "absolute":
        return 2 * votes_for > denom
    return 3 * votes_for >= 2 * denom  # two thirds, met at >=


def needed(against: int, denom: int, majority: str) -> int:
    """Fewest votes for that carry the motion, the other figures unchanged."""
    if majority == "simple":
        return against + 1
    if majority == "absolute":
        return denom // 2 + 1
    need = Fraction(2 * denom, 3)
    return max(1, -((-need.numerator) // need.denominator))


def decide(plain: Mapping[str, object], election: Election | None = None) -> dict[str, object]:
    majority = str(plain.get("majority") or "simple")
    of = str(plain.get("of") or "voting")
    casting_rule = str(plain.get("casting_vote_rule") or "chair")
    abstentions = str(plain.get("abstentions") or "ignored")
    if majority not in MAJORITIES or of not in DENOMINATORS or casting_rule not in CASTING_RULES:
        raise CountError(f"Motion options must be majority: {' | '.join(MAJORITIES)}, of: {' | '.join(DENOMINATORS)}"
                         f" and casting_vote_rule: {' | '.join(CASTING_RULES)}.")
    if plain.get("for") is None and election is not None:
        figs = figures_from_ballots(election)
    else:
        figs = {k: int(plain.get(k) or 0) for k in ("for", "against", "abstain")}  # type: ignore[call-overload]
    vf, va, ab = figs["for"], figs["against"], figs["abstain"]
    present = plain.get("present")
    if of == "present" and present is None:
        raise CountError("The majority is of members present: record `present` in the motion section.")
    if present is not None and int(present) < vf + va + ab:  # type: ignore[call-overload]
        raise CountError(f"{present} members present but {vf + va + ab} votes and abstentions recorded: "
                         "correct the motion's figures.")

    def denominator(f: int, a: int) -> int:
        if of == "present":
            return int(present)  # type: ignore[call-overload, no-any-return]
        return f + a + (ab if abstentions == "counted" else 0)

    casting = plain.get("casting_vote")
    used = None
    denom = denominator(vf, va)
    outcome = carried(vf, va, denom, majority)
    if vf == va and vf > 0 and not outcome:  # no votes at all is no equality to break
        if casting_rule == "chair":
            if casting not in ("for", "against"):
                raise CountError(f"The votes are equal ({vf} for, {va} against) and the chair has a casting vote: "
                                 "record it as `casting_vote: for` or `casting_vote: against` and count again.")
            used = str(casting)
        elif casting_rule == "status_quo":
            used = "against"
        if used is not None:
            f2, a2 = (vf + 1, va) if used == "for" else (vf, va + 1)
            outcome = carried(f2, a2, denominator(f2, a2), majority)
    return {
        "outcome": "carried" if outcome else "lost",
        "figures": {"for": vf, "against": va, "abstain": ab, **({"present": int(present)} if present is not None  # type: ignore[call-overload]
                                                                   else {})},
        "threshold": WORDS[majority],
        "majority": majority,
        "denominator": of if majority != "simple" else "voting",
        "denominator_value": denom,
        "needed": needed(va, denom, majority),
        "abstentions": abstentions,
        "casting_vote_rule": casting_rule,
        "casting_vote": used,
        "text": str(plain.get("text") or ""),
    }


def count(election: Election, ties: TieSource | None = None) -> Result:
    plain = election.extra.get("motion")
    if not isinstance(plain, Mapping):
        plain = {}
    d = decide(plain, election)
    figs: dict[str, int] = d["figures"]  # type: ignore[assignment]
    votes = {"For": figs["for"], "Against": figs["against"], "Abstain": figs["abstain"]}
    reason = (f"{figs['for']} for, {figs['against']} against, {figs['abstain']} abstaining. The motion needs "
              f"{d['threshold']}" + ("" if d["majority"] == "simple" else
                                     f" of the {d['denominator_value']} {d['denominator']}") +
              f" ({d['needed']} for)")
    if d["casting_vote"]:
        how = "the chair's casting vote" if d["casting_vote_rule"] == "chair" else "the casting vote for the status quo"
        reason += f"; the votes were equal and {how} was cast {d['casting_vote']}"
    reason += f": the motion is {d['outcome']}."
    stage = Stage(number=1, action="round", subjects=(), votes=votes, exhausted=0, rounding_loss=0, quota=0,
                  reason=reason)
    return Result(
        rule=RULE, rule_version=VERSION, seats=election.seats, places=0, quota=0, valid_poll=sum(votes.values()),
        names=tuple(votes), withdrawn=(), elected=(), stages=(stage,),
        parameters={"majority": d["majority"], "of": d["denominator"], "abstentions": d["abstentions"],
                    "casting_vote_rule": d["casting_vote_rule"]},
        decision=d, title=election.title,
    )
