"""Weighted Inclusive Gregory Method: the Proportional Representation Foundation's reference rule (PRF WIGM).

Source: PR Foundation, "Reference WIGM rule" (prfound.org/resources/reference/reference-wigm-rule/), as
quoted in Droop's `wigm_prf.py`. Version history: wigm-prf.1 = first implementation.

* A.1 quota: valid ballots / (seats + 1), truncated to 4 dp, plus 0.0001. Option `quota: exact` drops the
  0.0001 (plain V/(S+1) at 4 dp: the Labour NEC 2020 reading: 129,549 votes, 9 places, quota 12,954.9).
* B.1 every hopeful with vote >= quota is elected with its surplus pending (highest vote first).
* B.2 (option `defeat_sure_losers`, default off) defeat the largest set of lowest hopefuls whose votes plus
  all pending surpluses are less than the lowest vote outside it, leaving enough hopefuls for the places and
  never splitting a tie; if the count is then complete their ballots are not transferred.
* B.3 transfer the largest pending surplus, possibly zero: each ballot's new weight = weight x surplus
  (truncated) / candidate's total vote (truncated), and the ballot moves to its next hopeful.
* B.4 otherwise defeat the lowest hopeful; its ballots move at their current weight.
* C when the elected fill the places, or elected + hopeful do not exceed them, the rest are elected.
* D.1 ties: the tied candidate earliest in a pre-drawn random order is chosen (for a surplus or for defeat).
  Option `tie_order`: `ballot` (default) = the BLT's [tie] line if any, else the order on the ballot paper,
  taken as the pre-drawn order (as Droop does); `lot` = no pre-drawn order: a lot from the app's tie source
  (recorded, --seed, or asked for).
* D.4 every multiplication and division is truncated to 4 dp.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules.gregory import GregoryCount, preset_tie_order
from opensel_desktop.engine.ties import TieSource

T = TypeVar("T")

RULE = "wigm"
VERSION = "wigm-prf.1"
TITLE = "Weighted Inclusive Gregory Method (PR Foundation reference rule)"

QUOTAS = ("prf", "exact")
TIE_ORDERS = ("ballot", "lot")


def option(election: Election, key: str, allowed: tuple[T, ...], default: T) -> T:
    value: T = election.options.get(key, default)  # type: ignore[assignment]  # checked just below
    if value not in allowed:
        raise CountError(f"The {RULE} option {key!r} must be one of {', '.join(map(str, allowed))} (got {value!r}).")
    return value


class WigmCount(GregoryCount):
    rule = RULE
    version = VERSION
    places = 4
    backwards = None  # PRF D.1 has no look-back
    zero_surplus_is_transferred = True  # B.3 "(possibly zero)"

    def __init__(self, election: Election, ties: TieSource | None):
        super().__init__(election, ties)
        self.batch_defeat = bool(option(election, "defeat_sure_losers", (True, False), False))
        self.quota_rule = option(election, "quota", QUOTAS, "prf")
        self.tie_rule = option(election, "tie_order", TIE_ORDERS, "ballot")
        self.preset_order = preset_tie_order(election) if self.tie_rule == "ballot" else None

    def compute_quota(self) -> int:
        # A.1: V / (S + 1), truncated (D.4), + 0.0001 unless the exact reading was chosen
        base = self.valid // (self.e.seats + 1)
        return base + (1 if self.quota_rule == "prf" else 0)

    paragraphs = {"elect": "B.1", "surplus": "B.3", "exclusion": "B.4", "sure_losers": "B.2", "remaining": "C"}

    def quota_explained(self) -> str:
        how = ("valid votes / (places + 1), truncated at 4 decimals, + 0.0001" if self.quota_rule == "prf" else
               "valid votes / (places + 1), truncated at 4 decimals: option quota: exact")
        return f"the quota is {self.v(self.quota)} ({how}) [A.1]"

    def transfer_values(self, values: np.ndarray, surplus: int, total: int) -> np.ndarray:
        # B.3 with D.4: (weight x surplus) truncated to 4 dp, then / total vote truncated to 4 dp
        product = (values * surplus) // self.unit
        share: np.ndarray = (product * self.unit) // total
        return share

    def parameters(self) -> dict[str, object]:
        base = super().parameters()
        base.pop("batch_defeat", None)  # named as the option is
        return {
            **base,
            "defeat_sure_losers": self.batch_defeat,
            "quota_rule": self.quota_rule,
            "tie_order": self.tie_rule,
        }


def count(election: Election, ties: TieSource | None) -> Result:
    return WigmCount(election, ties).run()
