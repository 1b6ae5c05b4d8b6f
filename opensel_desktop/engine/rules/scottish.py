"""Scottish STV: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1, rules 45-52.

Version history: scottish-2007.1 = first implementation of the 2007 Order; scottish-2007.2 = a BLT [tie]
line is read as for every rule (engine/ties.py): of candidates the look-back cannot separate, the one listed
first is the one the lot chooses, so for an exclusion it is excluded (2007.1 excluded the one listed last).

* r.46 quota: valid papers / (vacancies + 1), fractions disregarded, plus 1.
* r.47 a candidate whose votes equal or exceed the quota is elected.
* r.48 surplus: ALL the candidate's papers are examined; each transferable paper's value is
  (surplus x value of the paper when received) / candidate's total votes, to 5 decimal places,
  any remainder ignored. Papers with no further preference for a continuing candidate are set
  aside as non-transferable; the value lost by ignoring remainders is recorded as rounding loss.
* r.49 the highest surplus first; equal surpluses: highest at the most recent preceding stage at
  which they were unequal, otherwise by lot.
* r.50-51 exclusion: the candidate with fewest votes (ties: fewest at the most recent stage at
  which they were unequal, otherwise lot); all papers move at their current value, in one stage.
* r.52 when the continuing candidates are no more than the places left, they are elected.
"""

from __future__ import annotations

import numpy as np

from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules.gregory import GregoryCount
from opensel_desktop.engine.ties import TieSource

RULE = "scottish"
VERSION = "scottish-2007.2"
TITLE = "Scottish STV (Scottish Local Government Elections Order 2007)"


class ScottishCount(GregoryCount):
    rule = RULE
    version = VERSION
    places = 5
    backwards = True
    paragraphs = {"elect": "r.47", "surplus": "r.48, r.49", "exclusion": "r.50, r.51", "remaining": "r.52"}

    def quota_explained(self) -> str:
        return (f"the quota is {self.v(self.quota)} ({self.valid // self.unit} valid papers / ({self.e.seats} places"
                f" + 1), fractions ignored, + 1) [r.46]")

    def compute_quota(self) -> int:
        papers = self.valid // self.unit
        return int((papers // (self.e.seats + 1) + 1) * self.unit)

    def transfer_values(self, values: np.ndarray, surplus: int, total: int) -> np.ndarray:
        # r.48(3): (surplus x value when received) / total votes, remainder beyond 5 dp ignored
        return (surplus * values) // total


def count(election: Election, ties: TieSource | None) -> Result:
    return ScottishCount(election, ties).run()
