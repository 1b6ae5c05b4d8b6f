"""Entry point of the bundled app: one executable, two faces.

Invoked as `opensel` (a symlink in the bundle) or with a CLI subcommand, it runs the command line;
otherwise it starts the desktop app. `--smoke FILE` is the packaging smoke test: count the contest,
write its result sheet PDF, then open it in the app offscreen and quit.
"""

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path


def smoke(contest: str) -> int:
    from opensel_desktop.cli import main as cli_main

    out = Path(tempfile.mkdtemp(prefix="opensel-smoke-"))
    with contextlib.redirect_stdout(io.StringIO()) as counted:
        if cli_main(["count", contest, "--format", "json"]) != 0:
            return 1
    if '"elected"' not in counted.getvalue():
        print("smoke: the count printed no result", file=sys.stderr)
        return 1
    pdf = out / "sheet.pdf"
    if cli_main(["report", contest, "-o", str(pdf)]) != 0 or pdf.stat().st_size < 1000:
        print("smoke: the result sheet was not written", file=sys.stderr)
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from opensel_desktop.gui.application import make_app, start

    app = make_app([sys.argv[0]])
    # keep closing whatever is open (a start-up dialog included) and ask the loop to end, until it does
    closer = QTimer()
    closer.setInterval(500)
    closer.timeout.connect(lambda: ([w.close() for w in app.topLevelWidgets()], app.exit(0)))
    closer.start()
    _app, window = start([sys.argv[0], contest])
    title = window.windowTitle()
    rc = app.exec()
    ok = rc == 0 and "OpenSel" in title
    print(f"smoke: count, sheet ({pdf.stat().st_size} bytes) and window '{title}' all fine" if ok else "smoke: app failed")
    return 0 if ok else 1


def run() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--smoke"]:
        return smoke(args[1])
    name = Path(sys.argv[0]).name
    from opensel_desktop.cli import COMMANDS

    commands = {m.__name__.rsplit(".", 1)[-1].replace("_", "-") for m in COMMANDS}
    if name.startswith("opensel") and not name.startswith("opensel-desktop") or (
        args and (args[0] in commands or args[0] in ("--version", "--help", "-h"))
    ):
        from opensel_desktop.cli import main as cli_main

        return cli_main(args)
    from opensel_desktop.gui.application import main as gui_main

    return gui_main(sys.argv)


if __name__ == "__main__":
    sys.exit(run())
