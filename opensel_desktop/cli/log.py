"""opensel log MEETING.osel: the journal, human readable (or --json, one event per line)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from opensel_desktop.store import events as ev
from opensel_desktop.store.events import Event

if TYPE_CHECKING:  # for annotations only: importing these at start-up is slow
    from opensel_desktop.contest.model import Contest


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "log",
        help="print the journal of a saved contest, one event per line",
        epilog="examples:\n"
               "  opensel log meeting.osel\n"
               "  opensel log meeting.osel --kind paper_corrected --kind lot_drawn --kind declared\n"
               "  opensel log meeting.osel --batch 1 --json",
        description="Print every journal event: number, time, kind, who, station, batch and what it recorded. "
                    "The file is opened read-only. --json prints each event as stored (with its hashes).",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--kind", action="append", choices=ev.KINDS, help="only events of this kind (repeatable)")
    p.add_argument("--batch", metavar="LABEL", help="only events of this batch")
    p.add_argument("--json", action="store_true", help="JSON lines, every field as stored")
    return p


def describe(e: Event, contest: Contest) -> str:
    d: dict[str, Any] = e.data
    names = contest.names

    def marks(m: list[int] | None) -> str:
        if m is None:
            return "no such paper"
        sep = " > " if contest.ranked else ", "
        return sep.join(names[i] if 0 <= i < len(names) else f"#{i + 1}" for i in m)

    k = e.kind
    if k == ev.CONTEST_CREATED:
        return f"contest created: {d['contest'].get('title', '')} ({d['contest'].get('rule')})"
    if k == ev.PAPER_ENTERED:
        return f"paper {d['paper']} entered ({d.get('side', 'first')} entry): {marks(d['marks'])}"
    if k == ev.PAPER_CORRECTED:
        return f"paper {d['paper']} corrected ({d.get('side')} entry): {marks(d['marks'])}; reason: {d.get('reason')}"
    if k == ev.BUNDLE_TOTAL:
        totals = ", ".join(f"{names[i]}={n}" for i, n in enumerate(d["counts"]) if i < len(names))
        return f"bundle totals ({d.get('side')} entry): {totals}" + \
            (f"; {d['papers']} papers" if d.get("papers") is not None else "")
    if k == ev.MISMATCH_RESOLVED:
        what = f"paper {d['paper']}: {marks(d.get('marks'))}" if "paper" in d else "bundle totals"
        if d.get("rejected"):
            what = f"paper {d['paper']}: rejected as {d['rejected']!r}"
        return f"mismatch resolved, {what}; reason: {d.get('reason')}"
    if k == ev.PAPER_REJECTED:
        who = f"paper {d['paper']} ({d['side']} entry) " if d.get("side") else ""
        return f"{who}{d.get('count', 1)} rejected as {d['heading']!r}" + (f" ({d['note']})" if d.get("note") else "")
    if k == ev.BATCH_SINGLE_ENTRY:
        return f"batch keyed once (no second entry), decided by {d.get('officer')}; reason: {d.get('reason')}"
    if k == ev.REJECTION_WITHDRAWN:
        what = f"paper {d['paper']} ({d['side']} entry)" if d.get("side") else f"{d.get('count')} paper(s)"
        cited = f" (event {d['event']})" if d.get("event") else ""
        return f"rejection{cited} of {what} as {d.get('heading')!r} withdrawn; reason: {d.get('reason')}"
    if k == ev.ACCOUNT_FIGURES:
        return (f"account {d['channel']}: issued {d['issued']}, spoilt {d['spoilt']}, unused {d['unused']}, "
                f"returned {d.get('returned')}")
    if k == ev.LOT_DRAWN:
        return (f"lot at stage {d['stage']} among {', '.join(d['among'])}: {d['chosen']} ({d['how']}"
                + (f", seed {d['seed']}" if d.get("seed") else "") + f"; witness {d.get('witness')})")
    if k in (ev.COUNT_RUN, ev.RECOUNT, ev.DECLARED):
        label = {"count_run": "provisional result", "recount": "recount", "declared": "DECLARED"}[k]
        extra = f"; override: {d['override_reason']}" if d.get("override_reason") else ""
        return f"{label}: {', '.join(d.get('elected', [])) or 'nobody'} elected; digest {d.get('digest')}{extra}"
    if k == ev.SIGNATURE_RECORDED:
        return f"signature of {d.get('what')} by {d.get('signer')}; digest {d.get('digest')}"
    if k == ev.TELLER_SWITCHED:
        return f"{d.get('teller')} now at the keyboard ({d.get('role')})"
    if k == ev.STATION_REGISTERED:  # issue 12
        issued = ", ".join(f"{b['label']} (papers {b['first']}-{b['last']})" for b in d.get("batches", ()))
        return (f"station {d['station']} registered; batches issued: {issued or 'none'}; public key "
                f"{d.get('public_key')}; pack SHA-256 {d.get('pack_sha256')}")
    if k == ev.BATCH_MERGED:
        numbers = d.get("paper_numbers") or []
        span = f" (papers {min(numbers)}-{max(numbers)})" if numbers else ""
        return (f"batch {d['batch']} of station {d['station']} merged as {d.get('label')}: {d.get('papers')} "
                f"papers{span} from {d.get('file')}; file SHA-256 {d.get('file_sha256')}")
    if k == ev.ROUND_ENTERED:  # issue 7
        counts = ", ".join(f"{n}={v}" for n, v in (d.get("round", {}).get("counts") or {}).items())
        return f"round entered (round {d.get('number')} of the exhaustive ballot): {counts}"
    if k == ev.UNIT_RETURN_ENTERED:  # issue 9
        r = d.get("return", {})
        said = {"yes": "yes", "no": "no", "none": "did not vote"}.get(r.get("decision"), r.get("decision"))
        return (f"return of {d.get('unit')} ({d.get('class')}): {said}, reported by {r.get('reported_by')}"
                + (f"; reason: {r['reason']}" if r.get("reason") else ""))
    return k.replace("_", " ")


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.session import Session

    with Session.open(args.file, "auditor", readonly=True) as s:
        contest = s.contest
        out = sys.stdout
        for e in s.events():
            if (args.kind and e.kind not in args.kind) or (args.batch is not None and e.batch != args.batch):
                continue
            if args.json:
                try:
                    data = e.data
                except (ValueError, RecursionError):  # a row edited by hand: shown as stored
                    data = e.payload
                out.write(json.dumps({"seq": e.seq, "kind": e.kind, "actor": e.actor, "station": e.station,
                                      "batch": e.batch, "at": e.at, "data": data, "prev": e.prev,
                                      "hash": e.hash}, ensure_ascii=False) + "\n")
                continue
            where = f" [{e.station}" + (f", batch {e.batch}" if e.batch else "") + "]"
            try:
                text = describe(e, contest)
            except (KeyError, TypeError, ValueError, IndexError, RecursionError):
                text = e.kind.replace("_", " ") + " (unreadable payload)"
            out.write(f"{e.seq:>6} {e.at} {e.actor}{where}: {text}\n")
        out.flush()
        s.require_verified()  # the events are all shown above; the refusal says where the record breaks
    return 0
