"""opensel enter MEETING.osel --teller NAME [--batch LABEL] [--from FILE|-] [--second]: key in papers.

Input, one paper per line (blank lines and lines starting with # are skipped):
  ranked papers   candidate numbers or names in preference order: `3 1 2`, `Siân Evans, Tom Jones`,
                  `C > A` (hot-keys); names containing spaces need commas or `>` between them
  X-votes         the marked candidates, the same way
  bundle totals   `name=count` lines (numbers or names), one bundle per call
or a .blt file (its names must be the contest's, in order) or a .csv file (one paper per row).
Each paper is its own journal transaction. At the first bad line the papers before it are kept
(and reported) and nothing after it is entered.

With --single, a .blt or .csv file (an online vendor's export, say) is imported as ONE journaled act
carrying the file's SHA-256: fast at any size, shown in the account under its --channel, and never
imported twice. Double entry does not apply to an imported file.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import add_contest
from opensel_desktop.contest.files import FileRefused, read_named_file

if TYPE_CHECKING:  # for annotations only: importing these at start-up is slow
    from opensel_desktop.app.core import Session
    from opensel_desktop.contest.model import Contest

MAX_INPUT = 200 * 1024 * 1024


class LineError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "enter",
        help="enter ballot papers or bundle totals into a saved contest, one journaled entry each",
        epilog="examples:\n"
               "  opensel enter meeting.osel --teller \"Ann Teller\" --batch 1 --from papers.txt\n"
               "  opensel enter meeting.osel --teller \"Bob Teller\" --batch 1 --second --from papers.txt\n"
               "  echo \"3 1\" | opensel enter meeting.osel --teller \"Bob Teller\" --batch 1 --second "
               "--correct 4 --reason \"keying slip\"\n"
               "  printf 'Ann Hughes=11\\nBob Jones=9\\n' | opensel enter officers.osel --teller \"Ann Teller\" "
               "--batch A --papers 20",
        description=__doc__.split("\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--teller", required=True, metavar="NAME", help="who is keying (journaled with every paper)")
    p.add_argument("--batch", default="1", metavar="LABEL", help="the batch (box, bundle) of papers (default: 1)")
    p.add_argument("--from", dest="source", default="-", metavar="FILE|-",
                   help="read papers from a text, .blt or .csv file, or - for standard input (default)")
    p.add_argument("--second", action="store_true",
                   help="this is the second teller's independent entry of the same batch (double entry)")
    p.add_argument("--single", action="store_true",
                   help="the batch needs no second entry (the returning officer's decision, journaled)")
    p.add_argument("--papers", type=int, metavar="N", help="bundle totals: the number of papers in the bundle")
    p.add_argument("--correct", type=int, metavar="N",
                   help="correct your entry of paper N of the batch (one paper line as input); needs --reason")
    p.add_argument("--reason", metavar="TEXT", help="why the correction is made (journaled)")
    p.add_argument("--channel", metavar="NAME",
                   help="the voting channel the papers came through (in-room, postal, online): the account "
                        "counts them under it")
    add_contest(p)
    return p


def read_input(source: str) -> tuple[str, str]:
    """(name for messages, text). A .blt file is returned as is for parse_blt."""
    if source == "-":
        if sys.stdin.isatty():
            sys.stderr.write("Type one paper per line; end with Ctrl-D.\n")
        return "<stdin>", sys.stdin.read(MAX_INPUT)
    p = Path(source)
    try:
        data = read_named_file(p, MAX_INPUT, "a file of ballot papers", hint="; give one, or - for standard input")
    except FileRefused as exc:
        raise AppError(f"{p}: {exc}") from None
    try:
        return str(p), data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AppError(f"{p}: the file is not UTF-8 text; save it as UTF-8 and try again.") from None


class Resolver:
    """Turns one written token (number, name, hot-key) into a candidate index."""

    def __init__(self, contest: Contest):
        self.contest = contest
        self.names = {c.name.casefold(): i for i, c in enumerate(contest.candidates)}
        self.keys = {c.hotkey.casefold(): i for i, c in enumerate(contest.candidates) if c.hotkey}

    def one(self, token: str) -> int | None:
        t = token.strip()
        if re.fullmatch(r"\d{1,6}", t):
            n = int(t)
            return n - 1 if 1 <= n <= len(self.contest.candidates) else None
        folded = t.casefold()
        if folded in self.names:
            return self.names[folded]
        return self.keys.get(folded)

    def paper(self, text: str) -> list[int]:
        if re.search(r"[,>;]", text):
            tokens = [t for t in re.split(r"[,>;]", text) if t.strip()]
        else:
            tokens = text.split()
        found = [self.one(t) for t in tokens]
        if None in found:
            whole = self.one(text)  # a single name with spaces in it
            if whole is not None:
                return [whole]
            bad = tokens[found.index(None)].strip()
            raise ValueError(f"{_shown(bad)} is not a candidate number (1-{len(self.contest.candidates)}), name or "
                             "hot-key of this contest")
        return [f for f in found if f is not None]


def _shown(token: str) -> str:
    """What was keyed, quoted and cut short: a 50 MB line is refused, not echoed back."""
    return repr(token if len(token) <= 40 else token[:40] + "…")


def parse_lines(name: str, text: str, session: Session) -> tuple[list[tuple[int, list[int]]], dict[int, int],
                                                                  LineError | None]:
    """Papers (line, marks) and bundle totals up to the first bad line, and that line's error."""
    from opensel_desktop.app.entry import check_marks

    resolver = Resolver(session.contest)
    papers: list[tuple[int, list[int]]] = []
    bundle: dict[int, int] = {}
    rows: Iterator[tuple[int, str]]
    if name.lower().endswith(".csv"):
        rows = ((i, ",".join(row)) for i, row in enumerate(csv.reader(io.StringIO(text)), start=1))
    else:
        rows = enumerate(text.splitlines(), start=1)
    for number, raw in rows:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            if "=" in line:
                if papers:
                    raise ValueError("a bundle total among single papers; enter bundles in a call of their own")
                for part in (p for p in line.split(",") if p.strip()):
                    who, _, n = part.partition("=")
                    index = resolver.one(who)
                    if index is None:
                        raise ValueError(f"{_shown(who.strip())} is not a candidate of this contest")
                    if not n.strip().isdigit():
                        raise ValueError(f"the total for {who.strip()} must be a whole number")
                    if index in bundle:
                        raise ValueError(f"{who.strip()} has a total already in this bundle")
                    bundle[index] = int(n)
            else:
                if bundle:
                    raise ValueError("a single paper among bundle totals; enter them in separate calls")
                marks = resolver.paper(line)
                check_marks(session.contest, marks)
                papers.append((number, marks))
        except (ValueError, AppError) as exc:
            message = exc.message if isinstance(exc, AppError) else str(exc)
            return papers, bundle, LineError(number, message.rstrip("."))
    return papers, bundle, None


def read_blt_papers(name: str, text: str, session: Session) -> list[tuple[int, list[int]]]:
    from opensel_desktop.contest.blt import parse_blt

    blt = parse_blt(text.encode("utf-8"), name)
    if tuple(blt.names) != session.contest.names:
        raise AppError(f"the candidates in this BLT file are not the contest's ({', '.join(blt.names)}); "
                       "enter papers written for this contest", where=name)
    return [(0, list(r)) for r, w in blt.ballots.rankings() for _ in range(w)]


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app import entry
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.imports import import_ballots
    from opensel_desktop.cli.common import say

    if args.single and args.source != "-" and Path(args.source).suffix.lower() in (".blt", ".csv") \
            and args.correct is None and not args.second:
        with Session.open(args.file, args.teller, contest=args.contest_name) as s:
            changes = import_ballots(s, args.source, args.batch, args.teller, args.channel)
        say(changes.message + "\n")
        return 0
    name, text = read_input(args.source)
    with Session.open(args.file, args.teller, contest=args.contest_name) as s:
        if args.correct is not None:
            return _correct(args, s, name, text)
        if name.lower().endswith(".blt"):
            papers, bundle, error = read_blt_papers(name, text, s), {}, None
        else:
            papers, bundle, error = parse_lines(name, text, s)
        if bundle:
            entry.enter_bundle(s, args.batch, bundle, args.teller, second=args.second, papers=args.papers,
                               single=args.single)
            total = sum(bundle.values())
            say(f"Saved the bundle totals of batch {args.batch} ({total} votes"
                + (f", {args.papers} papers" if args.papers is not None else "") + ").\n")
        saved: list[int] = []
        for _, marks in papers:
            try:
                changes = entry.enter_paper(s, marks, args.teller, args.batch, second=args.second,
                                            single=args.single, channel=args.channel)
            except AppError as exc:  # a full disk, a declaration from another window: say what is kept
                raise AppError(f"{exc.message.rstrip('.')}; {_kept(saved, args.batch)}", exc.hint_cli, exc.hint_gui,
                               step=exc.step, where=exc.where) from None
            saved.append(changes.paper or 0)
        side = "second" if args.second else "first"
        if saved:
            say(f"Saved {len(saved)} paper{'s' if len(saved) != 1 else ''} in batch {args.batch} "
                f"({side} entry by {args.teller}; papers {saved[0]}-{saved[-1]}).\n")
        if error is not None:
            kept = f"the {len(saved)} papers before it were saved" if saved else "nothing was saved"
            raise AppError(f"{error}; {kept}. Fix that line and enter it and the lines after it again",
                           where=f"{name}:{error.line}")
        if not saved and not bundle:
            raise AppError(f"there are no papers in the input ({name}); nothing was saved")
    return 0


def _kept(saved: list[int], batch: str) -> str:
    """How much of the input a refusal in mid-entry left saved (each paper is saved the moment it is keyed)."""
    if not saved:
        return "no paper of this input was saved"
    return (f"{len(saved)} paper{'s' if len(saved) != 1 else ''} of this input {'were' if len(saved) != 1 else 'was'} "
            f"saved before it (batch {batch}, paper{'s' if len(saved) != 1 else ''} {_numbers(saved)})")


def _numbers(saved: list[int]) -> str:
    return f"{saved[0]}-{saved[-1]}" if saved == list(range(saved[0], saved[-1] + 1)) and len(saved) > 1 else \
        (str(saved[0]) if len(saved) == 1 else f"{saved[0]}, ..., {saved[-1]}")


def _correct(args: argparse.Namespace, s: Session, name: str, text: str) -> int:
    from opensel_desktop.app import entry

    if not args.reason:
        raise AppError("a correction needs --reason TEXT saying why; nothing was saved")
    papers, bundle, error = parse_lines(name, text, s)
    if error is not None:
        raise AppError(f"{error}; nothing was saved", where=f"{name}:{error.line}")
    if len(papers) != 1 or bundle:
        raise AppError("a correction takes exactly one paper line; nothing was saved", where=name)
    changes = entry.correct_paper(s, args.batch, args.correct, papers[0][1], args.reason, args.teller,
                                  second=args.second)
    sys.stdout.write(changes.message + "\n")
    return 0
