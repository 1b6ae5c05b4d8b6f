"""Where every paper is during a transfer-based count (Gregory-style STV, ERS97, AV).

One entry per ballot row: the candidate holding it (-1 = not held: exhausted or not yet dealt),
the position of that preference in the ranking, its current value (scaled int) and the stage at
which it arrived (ERS97's "last parcel"). Moving papers is vectorised with numpy; values stay
exact integers throughout.
"""

from __future__ import annotations

import numpy as np

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Ballots, sum_by

NOBODY = -1
SAFE = 2**62  # every product and total stays below this, so int64 arithmetic can never wrap round


def check_size(total: int, factor: int, places: int) -> None:
    """Refuse a count whose figures (ballots x `factor`) could overflow exact int64 arithmetic."""
    if total * factor > SAFE:
        raise CountError(
            f"The ballots add up to {total} papers, too many to count exactly at {places} decimal places; "
            "check the ballot weights in the file."
        )


class Papers:
    def __init__(self, ballots: Ballots, ncand: int, unit: int):
        # a transfer multiplies a paper's value (<= unit) by a surplus (<= all papers x unit)
        check_size(ballots.total, unit * unit, len(str(unit)) - 1)
        self.prefs = ballots.prefs
        self.flat = np.ascontiguousarray(ballots.prefs).ravel()  # prefs[r, p] is flat[r * width + p]
        self.weights = ballots.weights
        self.ncand = ncand
        rows = len(ballots)
        self.holder = np.full(rows, NOBODY, dtype=np.int64)
        self.pos = np.full(rows, -1, dtype=np.int64)
        self.value = np.full(rows, unit, dtype=np.int64)
        self.arrived = np.zeros(rows, dtype=np.int64)

    def advance(self, rows: np.ndarray, hopeful: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Next preference for a continuing (`hopeful[c]`) candidate after each row's current position.

        Returns (holder, pos) arrays aligned with `rows`; holder is NOBODY where the paper exhausts.
        """
        width = self.prefs.shape[1]
        ok_ext = np.append(hopeful.astype(bool), False)  # index -1 (padding) is never continuing
        holder = np.full(rows.shape[0], NOBODY, dtype=np.int64)
        pos = self.pos[rows] + 1
        at = rows * width + pos  # flat index of each row's next preference
        pending = np.arange(rows.shape[0])
        end = rows * width + width  # one past each row's last preference
        while pending.size:
            inside = at[pending] < end[pending]
            if not inside.all():
                pending = pending[inside]
                if not pending.size:
                    break
            cand = self.flat[at[pending]]
            found = ok_ext[cand]
            holder[pending[found]] = cand[found]
            pending = pending[~found & (cand != NOBODY)]
            at[pending] += 1
        return holder, at - rows * width

    def deal_first(self, hopeful: np.ndarray, stage: int = 1) -> None:
        rows = np.arange(self.holder.shape[0])
        self.holder, self.pos = self.advance(rows, hopeful)
        self.arrived[:] = stage

    def held_by(self, cand: int) -> np.ndarray:
        return np.nonzero(self.holder == cand)[0]

    def totals(self) -> np.ndarray:
        """Each candidate's total value of papers held."""
        held = self.holder >= 0
        return sum_by(self.holder[held], self.weights[held] * self.value[held], self.ncand)

    def move(self, rows: np.ndarray, hopeful: np.ndarray, new_value: np.ndarray, stage: int) -> tuple[np.ndarray, int]:
        """Send `rows` on to their next continuing preference at `new_value` (per row).

        Returns (value received per candidate, value of the papers that exhausted).
        """
        holder, pos = self.advance(rows, hopeful)
        self.holder[rows] = holder
        self.pos[rows] = pos
        self.value[rows] = new_value
        self.arrived[rows] = stage
        amounts = self.weights[rows] * new_value
        going = holder >= 0
        received = sum_by(holder[going], amounts[going], self.ncand)
        exhausted = int(amounts[~going].sum())
        return received, exhausted
