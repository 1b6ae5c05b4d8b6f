"""A Result as Universal Tabulator JSON (the format rcvis.com and rcvformats read).

One UT round per stage: `tally` is every candidate still in the count at the end of that stage
(excluded candidates leave the tally after the round in which they are eliminated); `tallyResults`
names who is elected in that round, and who is eliminated or has a surplus moved in the NEXT stage,
with what each other candidate (and "exhausted") gained in that next stage. Values are the rule's
display decimals (exact strings, never floats).

UT knows no deferred surplus: a surplus moved later than the stage after its owner's election gets a
second `elected` entry in the round before the transfer, which is what UT checks to allow a fall.
"""

from __future__ import annotations

import json
import re
from typing import Any

from opensel_desktop.engine.result import Result, Stage


def result_rcvis(result: Result, contest: str | None = None, date: str | None = None,
                 office: str | None = None, jurisdiction: str | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {"contest": contest or result.title or f"{result.rule} count"}
    if date and _iso_date(date):
        config["date"] = date
    if office:
        config["office"] = office
    if jurisdiction:
        config["jurisdiction"] = jurisdiction
    if result.quota > 0:
        config["threshold"] = result.fmt(result.quota)
    rounds: list[dict[str, Any]] = []
    gone: set[str] = set()  # eliminated in an earlier round: UT drops them from later tallies
    won: set[str] = set()
    stages = result.stages
    for k, st in enumerate(stages):
        won.update(st.elected)
        tally = {n: result.fmt(st.votes.get(n, 0)) for n in result.names if n not in gone}
        entries: list[dict[str, Any]] = [{"elected": n} for n in st.elected]
        nxt = stages[k + 1] if k + 1 < len(stages) else None
        if nxt is not None:
            gains = _gains(result, st, nxt, gone)
            leaving = [n for n in nxt.excluded if n not in gone]
            # whose votes fall in the next stage: a surplus moved, or keep values changed (Meek)
            falling = [n for n in result.names if n in won and n not in leaving
                       and nxt.votes.get(n, 0) < st.votes.get(n, 0)]
            movers = leaving + [n for n in falling if n not in leaving]
            for i, n in enumerate(movers):
                key = "eliminated" if n in leaving else "elected"
                # the transfers of a stage cannot be split between its subjects: give them to the first
                transfers = {m: v for m, v in gains.items() if m not in movers} if i == 0 else {}
                if key == "elected":
                    existing = next((e for e in entries if e.get("elected") == n), None)
                    if existing is not None:
                        existing["transfers"] = transfers
                        continue
                entries.append({key: n, "transfers": transfers})
            gone.update(leaving)
        rounds.append({"round": k + 1, "tally": tally, "tallyResults": entries})
    return {"config": config, "results": rounds}


def _gains(result: Result, st: Stage, nxt: Stage, gone: set[str]) -> dict[str, str]:
    gains = {}
    for n in result.names:
        if n in gone:
            continue
        d = nxt.votes.get(n, 0) - st.votes.get(n, 0)
        if d > 0:
            gains[n] = result.fmt(d)
    nt = nxt.non_transferable - st.non_transferable
    if nt > 0:
        gains["exhausted"] = result.fmt(nt)
    return gains


def _iso_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


def result_rcvis_json(result: Result, **config: str | None) -> str:
    return json.dumps(result_rcvis(result, **config), indent=2, ensure_ascii=False) + "\n"
