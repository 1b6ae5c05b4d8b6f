"""A Contest as plain JSON data: what the first journal event keeps, so the file needs nothing else.

Field by field over the dataclasses, so a field another engineer adds to contest.model is kept
without a change here; unknown keys from a newer writer are ignored when reading.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from opensel_desktop.contest.model import CandidateSpec, Channel, Contest
from opensel_desktop.engine.model import Constraint

NESTED = {"candidates": CandidateSpec, "channels": Channel, "constraints": Constraint}
SKIP = ("ballots", "source")  # ballots become journal entries of their own; source is only for messages


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # dates and the like, as the contest file wrote them


def contest_to_data(c: Contest) -> dict[str, Any]:
    return {f.name: _plain(getattr(c, f.name)) for f in fields(Contest) if f.name not in SKIP}


def _build(cls: type, d: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    kw = {k: v for k, v in d.items() if k in names}
    for k, v in kw.items():
        if isinstance(v, list) and k in ("tellers", "rejection_headings"):
            kw[k] = tuple(v)
    return cls(**kw)


def contest_from_data(d: dict[str, Any], source: str = "") -> Contest:
    kw = {k: v for k, v in d.items() if k in {f.name for f in fields(Contest)} and k not in SKIP}
    for key, cls in NESTED.items():
        if key in kw:
            kw[key] = tuple(_build(cls, item) for item in kw[key])
    for key in ("tellers", "rejection_headings"):
        if key in kw:
            kw[key] = tuple(kw[key])
    return Contest(**kw, source=source)
