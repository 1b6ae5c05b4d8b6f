"""Result renderings for the command line and interchange: the result JSON, text, CSV stage table."""

from __future__ import annotations

import csv
import io
import json

from opensel_desktop.contest.csv_io import spreadsheet_safe
from opensel_desktop.contest.rcvis import result_rcvis_json
from opensel_desktop.engine.canonical import canonical_json
from opensel_desktop.engine.result import Lot, Result


def result_json(result: Result) -> str:
    """Canonical form (engine/canonical.py): what the result hash and the sheet digest hash."""
    return canonical_json(result.to_json_dict())


def result_json_pretty(result: Result) -> str:
    return json.dumps(result.to_json_dict(), indent=2, ensure_ascii=False)


def result_text(result: Result) -> str:
    lines = []
    if result.what_if:
        lines.append("WHAT-IF COUNT (not the contest's own rule or places; not journaled)")
    if result.title:
        lines.append(result.title)
    lines.append(f"Rule: {result.rule} ({result.rule_version}); places: {result.seats}; "
                 f"valid poll: {result.fmt(result.valid_poll)}; quota: {result.fmt(result.quota)}")
    if result.withdrawn:
        lines.append("Withdrawn: " + ", ".join(result.withdrawn))
    lines.append("")
    width = max([len(n) for n in result.names] + [18])
    header = "Candidate".ljust(width) + "".join(f"{'Stage ' + str(s.number):>16}" for s in result.stages)
    lines.append(header)
    for name in result.names:
        row = name.ljust(width)
        for st in result.stages:
            mark = "*" if name in st.elected else ("x" if name in st.excluded else " ")
            row += f"{result.fmt(st.votes.get(name, 0)) + mark:>16}"
        lines.append(row)
    lines.append("Non-transferable".ljust(width) + "".join(f"{result.fmt(s.non_transferable) + ' ':>16}"
                                                          for s in result.stages))
    lines.append("Quota".ljust(width) + "".join(f"{result.fmt(s.quota) + ' ':>16}" for s in result.stages))
    lines.append("")
    lines.append("(* elected at this stage, x excluded at this stage)")
    lines.append("")
    for st in result.stages:
        lines.append(f"Stage {st.number} ({st.action.replace('_', ' ')}): {st.reason}")
    lines.extend(lot_line(lot) for lot in result.lots)
    lines.append("")
    lines.append("Elected: " + (", ".join(result.elected) if result.elected else "nobody"))
    return "\n".join(lines) + "\n"


LOT_PURPOSE = {"exclude": "is excluded", "elect": "is elected", "surplus": "has their surplus transferred first",
               "keep": "stays in the count"}


def lot_line(lot: Lot) -> str:
    """One lot in words: who was tied, whom the lot chose and for what, and where the draw came from."""
    purpose = LOT_PURPOSE.get(lot.purpose, f"is chosen ({lot.purpose})")
    how = {"recorded": f"drawn by lot, recorded at stage {lot.stage}",
           "seed": f"drawn by lot at stage {lot.stage} from seed {lot.seed}",
           "tie-order": f"decided at stage {lot.stage} by the tie order fixed in advance"}.get(
        lot.how, f"decided at stage {lot.stage} ({lot.how})")
    return f"Lot among {', '.join(lot.among)}: {lot.chosen} {purpose}, {how}."


def result_csv(result: Result) -> str:
    """The stage table; no cell can run as a spreadsheet formula (contest/csv_io.spreadsheet_safe)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    rows = [["candidate"] + [f"stage {s.number}" for s in result.stages],
            ["action"] + [s.action for s in result.stages]]
    for name in result.names:
        rows.append([name] + [result.fmt(s.votes.get(name, 0)) for s in result.stages])
    rows.append(["non-transferable"] + [result.fmt(s.non_transferable) for s in result.stages])
    rows.append(["of which rounding"] + [result.fmt(s.rounding_loss) for s in result.stages])
    rows.append(["quota"] + [result.fmt(s.quota) for s in result.stages])
    rows.append(["elected"] + ["; ".join(s.elected) for s in result.stages])
    rows.append(["excluded"] + ["; ".join(s.excluded) for s in result.stages])
    w.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return buf.getvalue()


def result_rcvis(result: Result) -> str:
    """Universal Tabulator JSON for rcvis.com (see contest/rcvis.py)."""
    return result_rcvis_json(result)
