"""opensel station-pack MEETING.osel --station NAME -o STATION.oselpack [--batch LABEL=FIRST-LAST ...]"""

from __future__ import annotations

import argparse
import sys

HELP = "register a teller station and write its station pack (issue 12: several laptops, one count)"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "station-pack", help=HELP,
        description="Register a teller station in the meeting's journal and write its station pack: the "
                    "contest, its id, the station's name, the batches of ballot papers issued to it (with the "
                    "numbers printed on their papers), the returning officer's certificate (--key) and a new "
                    "signing key for the station, encrypted under the station passphrase (OPENSEL_PASSPHRASE, "
                    "or asked at the terminal). The station opens it with `opensel new --from-pack`. Only "
                    "batch files signed by registered stations can be merged. See docs/stations.md.",
        epilog="example:\n"
               "  opensel station-pack meeting.osel --station table-2 --batch 1=1-50 --key jane.key "
               "-o table-2.oselpack",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the returning officer's saved contest")
    p.add_argument("--station", required=True, metavar="NAME", help="the station's name (e.g. table-2)")
    p.add_argument("-o", "--output", required=True, metavar="STATION.oselpack", help="the pack to write")
    p.add_argument("--batch", action="append", default=[], metavar="LABEL=FIRST-LAST",
                   help="a batch issued to the station and the numbers on its first and last papers (repeatable)")
    p.add_argument("--key", metavar="OFFICER.key", help="the officer's key file: its certificate goes in the pack")
    p.add_argument("--officer", metavar="NAME", help="who issues the pack (default: the contest's returning officer)")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.keys import passphrase_from_env_or_prompt
    from opensel_desktop.app.stations import create_station_pack, parse_issued

    batches = parse_issued(args.batch, args.file)
    with Session.open(args.file, args.officer or "returning officer") as session:
        passphrase = passphrase_from_env_or_prompt("Passphrase for the station's key: ", confirm=True)
        info = create_station_pack(session, args.station, args.output, passphrase, batches, officer=args.officer,
                                   officer_key=args.key)
    sys.stdout.write(info.message + "\n")
    return 0
