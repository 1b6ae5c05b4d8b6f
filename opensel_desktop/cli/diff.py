"""opensel diff MEETING.osel [--batch LABEL] [--resolve N --marks TEXT --reason TEXT --officer NAME]"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import add_contest
from opensel_desktop.cli.enter import Resolver

if TYPE_CHECKING:  # for annotations only: importing these at start-up is slow
    from opensel_desktop.app.core import Session


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "diff",
        help="list paper-by-paper mismatches between two tellers' entries of a batch, and resolve them",
        epilog="examples:\n"
               "  opensel diff meeting.osel\n"
               "  opensel diff meeting.osel --batch 1\n"
               "  opensel diff meeting.osel --batch 1 --resolve 12 --marks \"A > S\" --reason \"paper inspected\" "
               "--officer \"Jane Smith\"",
        description="Without --batch: every batch and its state (single, awaiting second entry, mismatched, "
                    "agreed). With --batch: each paper where the first and second entries differ. Only agreed "
                    "batches count. A mismatch is settled either by a teller's correction (`opensel enter "
                    "--correct N`) or here, by the returning officer recording what the physical paper says "
                    "(--resolve N --marks ...; --marks none: there is no such paper). Bundles: --resolve 0 "
                    "--marks 'Name=3, Other=4'.",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--batch", metavar="LABEL", help="the batch to compare")
    p.add_argument("--resolve", type=int, metavar="N", help="record the true content of paper N (0: the bundle)")
    p.add_argument("--marks", metavar="TEXT", help="what the paper says, as entered (or `none`)")
    p.add_argument("--papers", type=int, metavar="N", help="with --resolve 0: the number of papers in the bundle")
    p.add_argument("--reject", metavar="HEADING", help="with --resolve N: the paper is rejected under this heading "
                   "(instead of --marks)")
    p.add_argument("--withdraw", type=int, metavar="N",
                   help="the returning officer takes back paper N of the batch, keyed by mistake (a paper that is "
                        "not there): neither entry of it counts; needs --reason and --officer")
    p.add_argument("--reason", metavar="TEXT", help="why (journaled), e.g. 'paper inspected'")
    p.add_argument("--officer", metavar="NAME", help="who resolved it (journaled)")
    add_contest(p)
    return p


def show(s: Session, marks: tuple[int, ...] | None, bundle: bool) -> str:
    names = s.contest.names
    if marks is None:
        return "(no such paper)"
    if bundle:
        return ", ".join(f"{names[i]}={n}" for i, n in enumerate(marks))
    if not s.contest.ranked:
        return ", ".join(names[i] for i in marks)
    return " > ".join(f"{names[i]}" for i in marks)


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session

    readonly = args.resolve is None and args.withdraw is None
    with Session.open(args.file, args.officer or "auditor", readonly=readonly, contest=args.contest_name) as s:
        s.require_verified()
        if args.batch is None:
            if args.resolve is not None or args.withdraw is not None:
                raise AppError("say which batch with --batch LABEL.")
            for b in s.batches():
                who = " / ".join(b.tellers)
                sys.stdout.write(f"batch {b.label}: {b.state}, {b.papers} papers"
                                 + (f", {b.mismatches} mismatches" if b.mismatches else "")
                                 + (f" ({who})" if who else "") + "\n")
            return 0
        if args.withdraw is not None:
            from opensel_desktop.app.entry import withdraw_paper

            if not args.officer or not args.reason:
                raise AppError("withdrawing a paper needs --reason and --officer; nothing was saved")
            sys.stdout.write(withdraw_paper(s, args.batch, args.withdraw, args.reason, args.officer).message + "\n")
            return 0
        if args.resolve is not None:
            return _resolve(args, s)
        mismatches = s.diff(args.batch)
        status = next(b for b in s.batches() if b.label == args.batch)
        tellers = status.tellers + ("", "")
        for m in mismatches:
            bundle = m.paper == 0
            label = "bundle totals" if bundle else f"paper {m.paper}"
            first = f"rejected as {m.first_rejected}" if m.first_rejected else show(s, m.first, bundle)
            second = f"rejected as {m.second_rejected}" if m.second_rejected else show(s, m.second, bundle)
            sys.stdout.write(f"{label}: first entry ({tellers[0]}): {first} | second entry "
                             f"({tellers[1] or '-'}): {second}\n")
        if mismatches:
            sys.stdout.write(f"Batch {args.batch}: {len(mismatches)} mismatch{'es' if len(mismatches) != 1 else ''}; "
                             "check each physical paper, then correct the wrong entry or resolve it.\n")
        else:
            sys.stdout.write(f"Batch {args.batch}: {status.state}, {status.papers} papers, no mismatches.\n")
    return 0


def _resolve(args: argparse.Namespace, s: Session) -> int:
    from opensel_desktop.app import entry

    if args.reject and args.resolve:
        if not args.officer or not args.reason:
            raise AppError("resolving a mismatch needs --reason and --officer; nothing was saved.")
        changes = entry.resolve_mismatch(s, args.batch, args.resolve, None, args.reason, args.officer, rejected=args.reject)
        sys.stdout.write(changes.message + "\n")
        return 0
    if not args.officer or not args.reason or args.marks is None:
        raise AppError("resolving a mismatch needs --marks, --reason and --officer; nothing was saved.")
    if args.resolve == 0:
        counts: dict[str | int, int] = {}
        resolver = Resolver(s.contest)
        for part in (p for p in args.marks.split(",") if p.strip()):
            who, _, n = part.partition("=")
            index = resolver.one(who)
            if index is None or not n.strip().isdigit():
                raise AppError(f"{part.strip()!r} is not `name=count` for a candidate; nothing was saved.")
            counts[index] = int(n)
        changes = entry.resolve_bundle(s, args.batch, counts, args.reason, args.officer, papers=args.papers)
    else:
        marks = None
        if args.marks.strip().casefold() != "none":
            try:
                marks = Resolver(s.contest).paper(args.marks)
            except ValueError as exc:
                raise AppError(f"{exc}; nothing was saved.") from None
        changes = entry.resolve_mismatch(s, args.batch, args.resolve, marks, args.reason, args.officer)
    sys.stdout.write(changes.message + "\n")
    return 0
