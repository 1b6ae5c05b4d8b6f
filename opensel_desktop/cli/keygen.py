"""opensel keygen --name NAME -o OFFICER.key: the returning officer's key pair and certificate."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "keygen",
        help="make a returning officer's signing key and self-signed certificate",
        epilog="example:\n  opensel keygen --name \"Jane Smith\" -o jane.key\n"
               "It prints the certificate's fingerprint: give it to the scrutineer.",
        description="Make a key pair (ECDSA P-256) and a self-signed X.509 certificate naming the returning "
                    "officer, for signing result sheets (`opensel report --sign`). The private key is stored "
                    "encrypted under a passphrase read from OPENSEL_PASSPHRASE or asked for at the terminal "
                    "(at least 8 characters). Keep the key file out of the saved contest and away from others; "
                    "an existing file is never overwritten.",
    )
    p.add_argument("--name", required=True, help="the returning officer's name, as it should appear on sheets")
    p.add_argument("-o", "--output", required=True, metavar="OFFICER.key", help="the key file to create")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.keys import passphrase_from_env_or_prompt, write_officer_key

    passphrase = passphrase_from_env_or_prompt("Passphrase for the new key: ", confirm=True)
    key = write_officer_key(args.output, args.name, passphrase)
    sys.stdout.write(f"Key for {key.name} written to {args.output}.\n"
                     f"Certificate fingerprint (SHA-256): {key.fingerprint}\n"
                     "Publish this fingerprint (to the candidates' agents, on the notice of the meeting): "
                     "anyone checks what you sign against it.\n")
    return 0
