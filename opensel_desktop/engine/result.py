"""One result model, read by every face: JSON, text, CSV, GUI tables, PDF sheets (one model, many views).

Values are ints scaled by 10**places (the rule's display precision), so sums are exact and
formatting is trivial. A stage is one column of an official stage report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opensel_desktop.engine.arithmetic import fmt

ACTIONS = ("first", "surplus", "exclusion", "bulk_exclusion", "deferral", "lot", "constraint", "election", "round")


@dataclass(frozen=True, slots=True)
class Lot:
    """A lot drawn during the count: who was tied, who the lot chose, and how."""

    stage: int
    among: tuple[str, ...]
    chosen: str
    purpose: str  # "exclude" | "surplus" | "elect" | "keep"
    how: str  # "recorded" | "tie-order" | "seed"
    seed: str | None = None


@dataclass(frozen=True, slots=True)
class Stage:
    number: int
    action: str
    subjects: tuple[str, ...]  # whose surplus moved / who was excluded; empty for the first count
    votes: dict[str, int]  # every candidate standing, total at the END of the stage
    exhausted: int  # cumulative value of papers with no further preference
    rounding_loss: int  # cumulative value lost to the rule's rounding
    quota: int
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    reason: str = ""
    transfer_value: int | None = None  # for a single surplus transfer where one value applies
    constraints_applied: tuple[str, ...] = ()
    threshold: int | None = None  # ERS97 5.1.7(b): the vote needed for election now, where it differs from quota
    # X-vote counts with category constraints: who took a reserved place (name, "gender: woman"), and who had
    # more votes than someone elected but was passed over to meet the constraints. Facts for the sheets'
    # "why"; not part of the result JSON (the reason and constraints_applied already say it in words).
    reserved: tuple[tuple[str, str], ...] = ()
    passed_over: tuple[str, ...] = ()

    @property
    def non_transferable(self) -> int:
        """Contract figure: exhausted papers plus rounding loss, so votes + NT = valid poll."""
        return self.exhausted + self.rounding_loss


@dataclass(frozen=True, slots=True)
class Result:
    rule: str
    rule_version: str
    seats: int
    places: int
    quota: int
    valid_poll: int  # scaled
    names: tuple[str, ...]  # every candidate standing, in ballot order
    withdrawn: tuple[str, ...]
    elected: tuple[str, ...]
    stages: tuple[Stage, ...]
    lots: tuple[Lot, ...] = ()
    parameters: dict[str, object] = field(default_factory=dict)
    what_if: bool = False
    decision: dict[str, object] | None = None  # motions and trigger ballots
    title: str = ""

    def fmt(self, value: int) -> str:
        return fmt(value, self.places)

    @property
    def not_elected(self) -> tuple[str, ...]:
        return tuple(n for n in self.names if n not in self.elected)

    def to_json_dict(self) -> dict[str, object]:
        """The documented result JSON object: required keys first, recommended additions after."""
        stages = []
        for st in self.stages:
            stages.append(
                {
                    "votes": {n: self.fmt(v) for n, v in st.votes.items()},
                    "non_transferable": self.fmt(st.non_transferable),
                    "action": st.action,
                    "elected": list(st.elected),
                    "excluded": list(st.excluded),
                    "subjects": list(st.subjects),
                    "quota": self.fmt(st.quota),
                    "exhausted": self.fmt(st.exhausted),
                    "rounding_loss": self.fmt(st.rounding_loss),
                    "reason": st.reason,
                    **({"transfer_value": self.fmt(st.transfer_value)} if st.transfer_value is not None else {}),
                    **({"constraints_applied": list(st.constraints_applied)} if st.constraints_applied else {}),
                    **({"threshold": self.fmt(st.threshold)} if st.threshold is not None else {}),
                }
            )
        out: dict[str, object] = {
            "rule": self.rule,
            "rule_version": self.rule_version,
            "seats": self.seats,
            "quota": self.fmt(self.quota),
            "elected": list(self.elected),
            "stages": stages,
            "valid_poll": self.fmt(self.valid_poll),
            "candidates": list(self.names),
            "withdrawn": list(self.withdrawn),
            "parameters": {k: self.parameters[k] for k in sorted(self.parameters)},
            "lots": [
                {"stage": lot.stage, "among": list(lot.among), "chosen": lot.chosen, "purpose": lot.purpose,
                 "how": lot.how, "seed": lot.seed}
                for lot in self.lots
            ],
            "what_if": self.what_if,
        }
        if self.title:
            out["title"] = self.title
        if self.decision is not None:
            out["decision"] = self.decision
        return out
