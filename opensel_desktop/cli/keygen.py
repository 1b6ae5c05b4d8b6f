"""opensel keygen --name NAME -o OFFICER.key: the returning officer's key pair and certificate."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "keygen",
        help="make a returning officer's signing key and self-signed certificate",
        epilog="examples:\n  opensel keygen --name \"Jane Smith\" -o jane.key\n"
               "  opensel keygen --upgrade old-jane.key -o jane.key\n"
               "It prints the certificate's fingerprint: give it to the scrutineer.",
        description="Make a key pair (ECDSA P-256) and a self-signed X.509 certificate naming the returning "
                    "officer, for signing result sheets (`opensel report --sign`) and station packs. The private "
                    "key is sealed under a passphrase read from OPENSEL_PASSPHRASE or asked for at the terminal "
                    "(at least 8 characters), with scrypt and AES-256-GCM. Keep the key file out of the saved "
                    "contest and away from others; an existing file is never overwritten. --upgrade converts a "
                    "key file of the first OpenSel format to this one: the same key and fingerprint, the same "
                    "passphrase.",
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--name", help="the returning officer's name, as it should appear on sheets")
    what.add_argument("--upgrade", metavar="OLD.key", help="a key file of the first format, to convert")
    p.add_argument("-o", "--output", required=True, metavar="OFFICER.key", help="the key file to create")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.keys import passphrase_from_env_or_prompt, upgrade_officer_key, write_officer_key
    from opensel_desktop.contest.names import printable

    if args.upgrade is not None:
        passphrase = passphrase_from_env_or_prompt(f"Passphrase of {args.upgrade}: ")
        key = upgrade_officer_key(args.upgrade, args.output, passphrase)
        done = f"Key for {printable(key.name)} converted to the current format: {args.output}."
    else:
        passphrase = passphrase_from_env_or_prompt("Passphrase for the new key: ", confirm=True)
        key = write_officer_key(args.output, args.name, passphrase)
        done = f"Key for {printable(key.name)} written to {args.output}."
    sys.stdout.write(f"{done}\nCertificate fingerprint (SHA-256): {key.fingerprint}\n"
                     "Publish this fingerprint (to the candidates' agents, on the notice of the meeting): "
                     "anyone checks what you sign against it.\n")
    return 0
