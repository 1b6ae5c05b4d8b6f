#!/usr/bin/env python3
"""Guessing a key file's passphrase: wrong passphrases tried per second, the first key format against the current.

    .venv/bin/python bench/keys.py [--rounds 5] [--seconds 2] [--append-readme]

The first format is PKCS#8 PEM under cryptography's BestAvailableEncryption (PBKDF2-HMAC-SHA256, 2048
iterations, AES-256-CBC), tried with `serialization.load_pem_private_key`. The current one (docs/keys.md)
is scrypt N = 2^17, r = 8, p = 1 and AES-256-GCM, tried with `app.sealed.unseal` (what `load_officer_key`
calls, without reading the file). Both are what an attacker with the file and this library would run. The
two alternate, round by round (old, new, old, new, ...), in one process pinned to one core, so the ratio of
each pair is taken on the same machine state; guesses per second are wrong passphrases per CPU second
(time.process_time), the wall clock beside. The ratio is the median over the rounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from opensel_desktop.app import sealed  # noqa: E402

PASSPHRASE = "the officer's real passphrase"


def guesses_per_second(attempt: Callable[[str], None], seconds: float) -> tuple[float, float, int]:
    """(guesses per CPU second, per wall second, tries) of wrong passphrases for about `seconds` of CPU."""
    n = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    while True:
        attempt(f"wrong guess {n}")
        n += 1
        cpu = time.process_time() - cpu0
        if cpu >= seconds and n >= 3:
            return n / cpu, n / (time.perf_counter() - wall0), n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=2.0, help="CPU seconds per format per round")
    ap.add_argument("--append-readme", action="store_true")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    key = ec.generate_private_key(ec.SECP256R1())
    old_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(PASSPHRASE.encode()))
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    context = b"bench context"
    new_obj = sealed.seal(der, PASSPHRASE, context)
    assert sealed.unseal(new_obj, PASSPHRASE, context) == der

    def old(guess: str) -> None:
        try:
            serialization.load_pem_private_key(old_pem, guess.encode())
        except ValueError:
            return
        raise AssertionError("a wrong passphrase opened the old key")

    def new(guess: str) -> None:
        try:
            sealed.unseal(new_obj, guess, context)
        except sealed.WrongPassphrase:
            return
        raise AssertionError("a wrong passphrase opened the new key")

    rows, ratios = [], []
    for r in range(1, args.rounds + 1):
        o = guesses_per_second(old, args.seconds)
        n = guesses_per_second(new, args.seconds)
        ratios.append(o[0] / n[0])
        rows.append((r, o, n, o[0] / n[0]))
        print(f"round {r}: first format {o[0]:8.1f}/s CPU ({o[1]:8.1f}/s wall, {o[2]} tries); "
              f"format 2 {n[0]:6.2f}/s CPU ({n[1]:6.2f}/s wall, {n[2]} tries); ratio {o[0] / n[0]:6.0f}x",
              flush=True)
    old_med = statistics.median(o[0] for _, o, _, _ in rows)
    new_med = statistics.median(n[0] for _, _, n, _ in rows)
    ratio = statistics.median(ratios)
    table = ("| key file | guesses per CPU second (median) |\n|---|--:|\n"
             f"| first format: PBKDF2-HMAC-SHA256, 2048 iterations | {old_med:,.0f} |\n"
             f"| format 2: scrypt N = 2^17, r = 8, p = 1 | {new_med:.2f} |\n"
             f"| ratio (first / format 2, median of {len(ratios)} paired rounds) | {ratio:,.0f}x |")
    print(table)
    if args.append_readme:
        with open(REPO / "bench" / "README.md", "a", encoding="utf-8") as f:
            f.write(f"\n## bench/keys.py: guessing a key file's passphrase\n\n"
                    f"    .venv/bin/python bench/keys.py [--rounds 5] [--seconds 2] [--append-readme]\n\n"
                    f"{__doc__.split(chr(10) + chr(10), 2)[2].strip()}\n\n"
                    f"Measured {dt.date.today().isoformat()} on the shared 2-core VM, one core:\n\n{table}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
