"""Rounds of an exhaustive ballot entered at the meeting: each round's votes, journaled one by one.

A round is validated as a contest file's would be (contest/kinds.py), and refused when the count
cannot take it (a round after every place is filled): a journaled round can never be taken back.
Counts see the contest file's rounds, then these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session, Write
from opensel_desktop.app.declaring import count_model
from opensel_desktop.app.errors import AppError
from opensel_desktop.engine import NeedsLot
from opensel_desktop.store import events as ev
from opensel_desktop.store.replay import Replay


def enter_round(s: Session, round: Mapping[str, Any], actor: str | None = None) -> Changes:
    """Journal one round of an exhaustive ballot ({votes, papers?, rejected, withdraw?})."""
    from opensel_desktop.contest.kinds import validate_rounds

    s.writable()
    if s.contest.rule != "exhaustive":
        raise AppError(f"rounds are only entered for an exhaustive ballot (this contest is counted by "
                       f"{s.contest.rule})")
    problems: list[str] = []
    checked = validate_rounds([dict(round)], s.contest.names, lambda _path, msg: problems.append(msg))
    if problems or not checked:
        raise AppError((problems or ["the round is empty."])[0])
    new_round = checked[0]

    def plan(model: Replay) -> list[Write]:
        number = len(s.contest.extra.get("rounds") or []) + len(model.rounds) + 1
        trial = replace(model, rounds=[*model.rounds, new_round])  # a shallow copy: the model is not changed
        try:
            count_model(trial)
        except NeedsLot:
            pass  # the lot is drawn after the round is saved
        except AppError as exc:
            raise AppError(f"the round was not saved: {exc.message}") from None
        return [Write(ev.RoundEntered(number, new_round), actor)]

    return s.write(plan, lambda w: f"Round {w[0].data['number']} saved.")
