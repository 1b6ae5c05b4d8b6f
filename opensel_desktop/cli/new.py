"""opensel new CONTEST.yaml -o MEETING.osel --officer NAME: start a meeting's saved contest."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "new",
        help="create a saved contest (.osel) from a contest file; never overwrites",
        epilog="examples:\n"
               "  opensel new contest.yaml -o meeting.osel --officer \"Jane Smith\"\n"
               "  opensel new --from-pack table-2.oselpack -o table-2.osel --officer \"Ann Teller\"",
        description="Validate a contest file and create the meeting's saved contest from it: one SQLite file "
                    "holding the contest and a hash-chained journal of everything done at the count. Papers "
                    "listed in the contest file are imported as one single-entry batch ('contest file') "
                    "attributed to the officer. An existing file is never overwritten.",
    )
    p.add_argument("contest", metavar="CONTEST.yaml", nargs="?",
                   help="the validated contest file (see docs/contest-format.md)")
    p.add_argument("--from-pack", metavar="STATION.oselpack",
                   help="instead of a contest file: set up a teller station from its station pack, after checking "
                        "the returning officer's signature, the contest and the station passphrase "
                        "(OPENSEL_STATION_PASSPHRASE, or asked at the terminal; docs/stations.md); --officer is "
                        "then the station's lead teller")
    p.add_argument("-o", "--output", required=True, metavar="MEETING.osel", help="the saved contest to create")
    p.add_argument("--officer", required=True, metavar="NAME", help="the returning officer's name (journaled)")
    p.add_argument("--key", metavar="OFFICER.key|CERT.pem",
                   help="pin the returning officer's key: only its public certificate is read (no passphrase); "
                        "from then on only that key can sign the declaration and the result sheets")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.trust import pin_body, read_certificate
    from opensel_desktop.cli.common import say
    from opensel_desktop.contest.yaml_io import load_contest

    pin = pin_body(read_certificate(args.key), args.officer) if args.key else None  # before any other work
    if args.from_pack is not None or args.contest is None:
        return _from_pack(args)
    args.file = args.output  # refusals name the file being created
    contest = load_contest(args.contest)
    with Session.create(contest, args.output, args.officer, pin=pin) as s:
        papers = sum(b.papers for b in s.batches())
        say(f"Created {args.output}: {contest.title} ({contest.rule}, {contest.seats} place"
            f"{'s' if contest.seats != 1 else ''}, {len(contest.candidates)} candidates)"
            + (f"; {papers} papers imported from the contest file" if papers else "") + ".\n"
            f"Contest id: {s.contest_id}\n"
            + (f"Returning officer's key pinned: {pin.fingerprint}\n" if pin else
               "No returning officer's key is pinned: give --key OFFICER.key to declare with a signature.\n"))
    return 0


def _from_pack(args: argparse.Namespace) -> int:
    from opensel_desktop.app.errors import AppError
    from opensel_desktop.app.station_pack import read_pack
    from opensel_desktop.app.stations import create_station_file, pack_signer, station_passphrase
    from opensel_desktop.contest.names import printable

    if args.from_pack is None or args.contest is not None:
        raise AppError("give either a contest file or --from-pack STATION.oselpack, not both (nor neither).")
    read_pack(args.from_pack)  # a pack refused before anyone is asked for a passphrase
    passphrase = station_passphrase("Station passphrase (from the returning officer): ")
    with create_station_file(args.from_pack, args.output, args.officer, passphrase) as s:
        name, fingerprint = pack_signer(s)
        sys.stdout.write(f"Created {args.output}: station {printable(s.station)} of {printable(s.contest.title)}. "
                         "Key batches with `opensel enter`, then export each agreed batch with "
                         "`opensel batch-export`.\n"
                         f"The pack is signed by {printable(name)}, certificate fingerprint (SHA-256) {fingerprint}.\n"
                         f"Keep {args.from_pack} on this laptop: batch-export reads the station key from it.\n")
    return 0
