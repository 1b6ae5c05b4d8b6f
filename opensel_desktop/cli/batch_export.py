"""opensel batch-export STATION.osel --batch LABEL -o BATCH.oselbatch [--first-paper N] [--pack STATION.oselpack]"""

from __future__ import annotations

import argparse
import sys

HELP = "export an agreed batch of a teller station as a signed batch file"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "batch-export", help=HELP,
        description="Write one agreed batch of a station's saved contest (made with `opensel new --from-pack`) "
                    "as a batch file: its journal entries, hash-chained and signed with the station's key. The key "
                    "is read from the station pack (where it was when the station was set up, or --pack) and "
                    "opened with the station passphrase (OPENSEL_STATION_PASSPHRASE or OPENSEL_PASSPHRASE, or "
                    "asked at the terminal). A batch that is not agreed is refused. The returning officer merges "
                    "it with `opensel merge`. See docs/stations.md.",
        epilog="example:\n  opensel batch-export table-2.osel --batch 1 -o table-2-batch-1.oselbatch",
    )
    p.add_argument("file", metavar="STATION.osel", help="the station's saved contest")
    p.add_argument("--batch", required=True, metavar="LABEL", help="the batch to export")
    p.add_argument("-o", "--output", required=True, metavar="BATCH.oselbatch", help="the batch file to write")
    p.add_argument("--first-paper", type=int, metavar="N",
                   help="the number printed on the batch's first paper (default: as issued in the station pack)")
    p.add_argument("--pack", metavar="STATION.oselpack",
                   help="the station pack, when it is no longer where it was at `opensel new --from-pack`")
    p.add_argument("--teller", metavar="NAME", help="who exports it (journaled in the file)")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.stations import export_batch, station_passphrase

    with Session.open(args.file, args.teller or "station", readonly=True) as session:
        info = export_batch(session, args.batch, args.output, lambda: station_passphrase("Station passphrase: "),
                            first_paper=args.first_paper,
                            exported_by=args.teller, pack_path=args.pack)
    sys.stdout.write(info.message + f"\nSHA-256: {info.sha256}\n")
    return 0
