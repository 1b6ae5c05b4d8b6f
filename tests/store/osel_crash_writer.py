"""A writer process for the crash test: enters papers and prints each paper number once the call returned."""

import sys

from opensel_desktop.app import entry
from opensel_desktop.app.core import Session

path, start, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with Session.open(path, "Crash Teller") as s:
    for i in range(start, start + n):
        marks = [i % 4, (i + 1) % 4, (i + 2) % 4][: 1 + i % 3]
        entry.enter_paper(s, marks, batch="crash", seq=i, single=True)
        sys.stdout.write(f"{i}\n")
        sys.stdout.flush()
