"""opensel station-pack MEETING.osel --station NAME --key OFFICER.key -o STATION.oselpack [--batch LABEL=FIRST-LAST ...]"""

from __future__ import annotations

import argparse
import sys

HELP = "register a teller station and write its station pack, signed with the officer's key"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "station-pack", help=HELP,
        description="Register a teller station in the meeting's journal and write its station pack: the "
                    "contest, its id, the station's name, the batches of ballot papers issued to it (with the "
                    "numbers printed on their papers), the returning officer's certificate and a new signing key "
                    "for the station, sealed under the station passphrase (OPENSEL_STATION_PASSPHRASE, or asked "
                    "at the terminal). The pack is signed with the officer's key (--key; its passphrase from "
                    "OPENSEL_PASSPHRASE, or asked at the terminal). The station opens it with `opensel new "
                    "--from-pack`. Only batch files keyed from this pack and signed by the station can be merged. "
                    "See docs/stations.md.",
        epilog="example:\n"
               "  opensel station-pack meeting.osel --station table-2 --batch 1=1-50 --key jane.key "
               "-o table-2.oselpack",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the returning officer's saved contest")
    p.add_argument("--station", required=True, metavar="NAME", help="the station's name (e.g. table-2)")
    p.add_argument("-o", "--output", required=True, metavar="STATION.oselpack", help="the pack to write")
    p.add_argument("--batch", action="append", default=[], metavar="LABEL=FIRST-LAST",
                   help="a batch issued to the station and the numbers on its first and last papers (repeatable)")
    p.add_argument("--key", required=True, metavar="OFFICER.key",
                   help="the officer's key file (`opensel keygen`): it signs the pack")
    p.add_argument("--officer", metavar="NAME", help="who issues the pack (default: the contest's returning officer)")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.keys import load_certificate, passphrase_from_env_or_prompt
    from opensel_desktop.app.stations import create_station_pack, parse_issued, station_passphrase

    batches = parse_issued(args.batch, args.file)
    with Session.open(args.file, args.officer or "returning officer") as session:
        load_certificate(args.key)  # a file that is not a key is refused before any passphrase is asked
        officer_passphrase = passphrase_from_env_or_prompt(f"Passphrase for {args.key}: ")
        passphrase = station_passphrase("Passphrase for the station's key (tell it to its tellers): ", confirm=True,
                                        officer_laptop=True)
        info = create_station_pack(session, args.station, args.output, passphrase, batches, officer=args.officer,
                                   officer_key=args.key, officer_passphrase=officer_passphrase)
    sys.stdout.write(info.message + "\n")
    return 0
