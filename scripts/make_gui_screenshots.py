"""Grab every main screen of the desktop app offscreen into docs/screenshots: gui-*.png on a 1280x720 laptop
screen, and gui-*@2x.png on the same laptop at 200% (2560x1440 pixels, QT_SCALE_FACTOR=2).

    .venv/bin/python scripts/make_gui_screenshots.py [OUT_DIR]
    .venv/bin/python scripts/make_gui_screenshots.py --only merge [OUT_DIR]

The screens are reached the way a teller reaches them (the real window, real keys); the meeting
lives in a temporary folder and nothing outside OUT_DIR is written. The 200% set is made by the same
script in a process of its own (the scale factor is fixed when the application starts).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtCore import QLocale, QSettings, QStandardPaths, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opensel_desktop.app import entry  # noqa: E402
from opensel_desktop.gui.application import make_app  # noqa: E402
from opensel_desktop.gui.main_window import MainWindow  # noqa: E402

SIZE = (1280, 720)  # a small laptop screen (at 200% the same size in points, twice the pixels)
SUFFIX = os.environ.get("OPENSEL_SHOT_SUFFIX", "")
CONTEST = """\
format: opensel-contest/1
kind: election
organisation: Anytown Constituency Labour Party
title: Election of two conference delegates
venue: Anytown Trades Hall
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: scottish, seats: 2}
candidates:
  - Łukasz Nowak
  - Siân Evans
  - Dafydd ap Gwŵr
  - Ann Hughes
  - Bob Jones
  - Priya Patel
channels:
  - {name: in-room, issued: 40, spoilt: 1, unused: 3}
"""
PAPERS = [(0, 1, 2), (1, 0), (2, 3, 1), (1,), (3, 1, 0, 2), (0, 2), (5, 1), (1, 5, 0), (4, 3), (0, 1),
          (2, 0, 1), (1, 2), (3, 0), (0,), (5, 0, 1), (1, 3, 2), (2, 1), (0, 5), (4, 1, 0), (1, 0, 2),
          (0, 3), (1, 4), (2, 0), (3, 2, 1), (0, 1, 5), (1,), (5, 4), (0, 2, 1), (2, 1, 0), (1, 0),
          (0, 4), (3, 1), (1, 2, 0), (0, 5, 2), (2,), (4, 0)]


def keys(widget: QWidget, text: str) -> None:
    for ch in text:
        target = widget.focusWidget() or widget
        QTest.sendKeyEvent(QTest.KeyAction.Click, target, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def press(widget: QWidget, key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget.focusWidget() or widget, key, mods)


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()
        QTest.qWait(20)


def wait_for(condition, seconds: float = 60) -> None:
    for _ in range(int(seconds * 50)):
        if condition():
            settle()
            return
        QTest.qWait(20)
    raise SystemExit("the screen did not come up in time")


def answer(window: MainWindow, name: str) -> None:
    dialog = window.dialog
    dialog.name.setFocus()
    dialog.name.lineEdit().selectAll()
    keys(dialog, name)
    press(dialog, Qt.Key.Key_Return)
    settle()


def key_paper(window: MainWindow, ranking: tuple[int, ...], ncand: int) -> None:
    form = window.entry.form
    form.focus_box(0)
    prefs = {c: i for i, c in enumerate(ranking, start=1)}
    for c in range(ncand):
        if c in prefs:
            keys(form, str(prefs[c]))
        else:
            press(form, Qt.Key.Key_Down)
    press(form, Qt.Key.Key_Return)


def shot(widget: QWidget, out: Path, name: str) -> Path:
    settle()
    path = out / f"gui-{name}{SUFFIX}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return path


def merge_screen(window: MainWindow, out: Path, tmp: Path, contest: Path) -> None:
    """File > Import batch files… on the officer's laptop: two teller stations' signed batch files,
    one already merged, one edited after signing, one cut short; the shot is taken after Merge."""
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.keys import make_officer_key
    from opensel_desktop.app.stations import (
        IssuedBatch,
        create_station_file,
        create_station_pack,
        export_batch,
        merge_batches,
    )
    from opensel_desktop.contest.yaml_io import load_contest

    folder = tmp / "stations"
    folder.mkdir()
    officer = folder / "meeting.osel"
    files: dict[str, Path] = {}
    key = make_officer_key("Jane Smith")  # station packs are signed by the returning officer
    with Session.create(load_contest(contest), officer, "Jane Smith") as main:
        for i, station in enumerate(("table-1", "table-2")):
            pack = folder / f"{station}.oselpack"
            issued = [IssuedBatch(label, 1 + (2 * i + j) * 10, 10 + (2 * i + j) * 10) for j, label in enumerate("AB")]
            create_station_pack(main, station, pack, "station passphrase", issued, officer_key=key)
            with create_station_file(pack, folder / f"{station}.osel", f"Lead of {station}",
                                     "station passphrase") as s:
                for j, label in enumerate("AB"):
                    papers = PAPERS[(2 * i + j) * 9:(2 * i + j) * 9 + 9]
                    for marks in papers:
                        entry.enter_paper(s, list(marks), "Ann Teller", batch=label)
                    for marks in papers:
                        entry.enter_paper(s, list(marks), "Bob Teller", batch=label, second=True)
                    files[f"{station}-{label}"] = folder / f"{station}-{label}.oselbatch"
                    export_batch(s, label, files[f"{station}-{label}"], "station passphrase")
        merge_batches(main, [files["table-1-A"]])
    data = files["table-2-B"].read_bytes()
    i = data.index(b'"marks":[') + len(b'"marks":[')
    (folder / "table-2-B-copy.oselbatch").write_bytes(data[:i] + (b"1" if data[i:i + 1] != b"1" else b"2")
                                                      + data[i + 1:])
    (folder / "table-1-B-usb.oselbatch").write_bytes(files["table-1-B"].read_bytes()[:900])
    window.open_file(str(officer), teller="Jane Smith")
    window.import_batches([str(files["table-1-A"]), str(files["table-2-A"]), str(files["table-2-B"]),
                           str(folder / "table-2-B-copy.oselbatch"), str(folder / "table-1-B-usb.oselbatch")])
    dialog = window.dialog
    dialog.resize(1100, 500)
    press(dialog, Qt.Key.Key_Return)  # Merge, in the background
    wait_for(lambda: not window.ops.busy())
    shot(dialog, out, "merge")
    dialog.reject()
    window.close_meeting()


FOURTEEN = """\
format: opensel-contest/1
kind: election
organisation: Anytown Constituency Labour Party
title: Regional list ranking
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: scottish, seats: 4}
candidates: [Łukasz Nowak, Siân Evans, Dafydd ap Gwŵr, Ann Hughes, Bob Jones, Priya Patel, Mohammed Ali,
             Nia Griffiths, Owain Glyn, Hannah Brooks, Ruth Okafor, Tom Baker, Eilidh MacLeod, Gwen Morgan]
"""


def main(out: Path, only: str | None = None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    app = make_app(sys.argv[:1])
    QStandardPaths.setTestModeEnabled(True)
    tmp = Path(tempfile.mkdtemp(prefix="opensel-shots-"))
    window = MainWindow(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(*SIZE)
    window.show()
    contest = tmp / "delegates.yaml"
    contest.write_text(CONTEST, encoding="utf-8")
    if only == "merge":
        merge_screen(window, out, tmp, contest)
        window.close()
        return 0
    names = 6

    # start screen, with a broken contest file's problems listed
    bad = tmp / "branch-officers.yaml"
    bad.write_text("format: opensel-contest/1\ntitle: Branch officers\nmethod: {rule: scotish, seats: 2}\n"
                   "candidates:\n  - Ann Hughes\n  - Bob Jones\n  - Ann Hughes\n", encoding="utf-8")
    window.new_from_contest(str(bad), str(tmp / "bad.osel"), "Jane Smith")
    window.start.problems.setCurrentRow(0)
    press(window.start.problems, Qt.Key.Key_Return)
    shot(window, out, "start-problems")

    # fourteen candidates: hot-key mode is the default, the paper scrolls
    many = tmp / "regional.yaml"
    many.write_text(FOURTEEN, encoding="utf-8")
    window.new_from_contest(str(many), str(tmp / "regional.osel"), "Jane Smith")
    window._switch("Ann Teller", "teller")  # a teller keys; the officer made the file
    form = window.entry.form
    for letters in ("cab", "dnk", "ab", "gh"):
        keys(form, letters)
        press(form, Qt.Key.Key_Return)
    keys(form, "kbe")
    shot(window, out, "entry-many-candidates")
    window.close_meeting()

    # a meeting: the officer opens it, Ann keys the first entry
    osel = tmp / "delegates.osel"
    window.new_from_contest(str(contest), str(osel))
    answer(window, "Jane Smith")
    window._switch("Ann Teller", "teller")
    for ranking in PAPERS[:12]:
        key_paper(window, ranking, names)
    form = window.entry.form
    form.focus_box(0)
    keys(form, "12")
    press(form, Qt.Key.Key_Down)
    keys(form, "2")
    shot(window, out, "entry-duplicate")
    press(form, Qt.Key.Key_Return)
    shot(window, out, "entry-reject-picker")
    press(form.reject_list, Qt.Key.Key_Escape)
    form.clear()
    for ranking in PAPERS[12:]:
        key_paper(window, ranking, names)
    form.focus_box(0)
    keys(form, "r")
    press(form.reject_list, Qt.Key.Key_Return)  # an unmarked paper
    press(form, Qt.Key.Key_F3)
    keys(form, "ca")
    shot(window, out, "entry-hotkeys")
    press(form, Qt.Key.Key_F3)
    form.clear()

    # Bob keys the same batch blind, getting three papers wrong
    window.second_entry("Bob Teller")
    for n, ranking in enumerate(PAPERS, start=1):
        wrong = n in (4, 19, 30)
        key_paper(window, tuple(reversed(ranking)) if wrong and len(ranking) > 1 else
                  ((ranking[0] + 1) % names,) if wrong else ranking, names)
    window.entry.form.focus_box(0)
    keys(window.entry.form, "r")
    press(window.entry.form.reject_list, Qt.Key.Key_Return)
    window.go_to_mismatch()  # F2
    shot(window, out, "double-entry-mismatches")
    # the officer's withdrawal of a paper keyed by mistake: the dialog, not sent (nothing is withdrawn)
    window.withdraw_paper()
    dialog = window.dialog
    settle()
    keys(dialog, "keyed twice: the same paper was entered as 3 and 4")
    shot(dialog, out, "withdraw-paper")
    dialog.reject()
    settle()
    window.go_to_mismatch()
    while window.entry.focus_first_mismatch():
        keys(window.entry.diff_table, "1")

    # the account, counted, and the results
    window._tab(window.account)
    shot(window, out, "account-red")
    window.record_account("in-room", 40, 1, 2, 37, "")
    window._tab(window.account)
    shot(window, out, "account")
    window.count_now()
    settle()
    from opensel_desktop.gui.dialogs.lot_dialog import LotDialog

    if isinstance(window.dialog, LotDialog):  # the rule could not separate two candidates
        lot = window.dialog
        lot.witnesses.setText("Siân Evans, Bob Jones")
        lot.chosen.setCurrentIndex(0)
        shot(lot, out, "lot")
        lot.accept()
    window.ops.wait()
    settle()
    shot(window, out, "results-provisional")
    window.toggle_projector()
    window.projector.showNormal()
    window.projector.resize(*SIZE)
    shot(window.projector, out, "projector")
    window.projector.close()

    if not (out / f"gui-lot{SUFFIX}.png").exists():
        lot = LotDialog(("Ann Hughes", "Bob Jones"), 3, "equal at every earlier stage", "exclude", window)
        lot.show()
        shot(lot, out, "lot")
        lot.close()

    # the returning officer's key, made in the background; its fingerprint is shown
    window.create_key()
    dialog = window.dialog
    dialog.name.setText("Jane Smith")
    dialog.path.setText(str(tmp / "jane.key"))
    dialog.passphrase.setText("correct horse battery")
    dialog.again.setText("correct horse battery")
    press(dialog.again, Qt.Key.Key_Return)
    wait_for(lambda: dialog.done_path is not None)
    shot(dialog, out, "key-created")
    dialog.reject()

    # declaration: checklist, passphrase, signed preview (the new key is offered)
    window.declare()
    dialog = window.dialog
    shot(dialog, out, "declare-checklist")
    dialog.checks[2].setChecked(True)
    dialog.next_step()
    dialog.passphrase.setFocus()
    keys(dialog, "correct horse battery")
    shot(dialog, out, "declare-passphrase")
    dialog.next_step()
    wait_for(lambda: dialog.step() == 2)
    shot(dialog, out, "declare-preview")
    dialog.accept()
    window._tab(window.results)
    shot(window, out, "results-declared")
    window._tab(window.entry)
    shot(window, out, "entry-locked")

    # help
    window.show_shortcuts()
    shot(window.dialog, out, "shortcuts")
    window.dialog.reject()

    # auditor
    window.close_meeting()
    window.open_file(str(osel), readonly=True)
    window.audit_recount()
    wait_for(lambda: not window.ops.busy())
    shot(window, out, "auditor")

    # start screen with recent contests
    window.close_meeting()
    shot(window, out, "start")

    # bundle entry for an X-vote contest: two bundles saved, the third being typed with a slip
    fptp = tmp / "secretary.yaml"
    fptp.write_text("format: opensel-contest/1\ntitle: Branch secretary\nmethod: {rule: fptp, seats: 1}\n"
                    "candidates: [Ann Hughes, Bob Jones, Siân Evans]\n", encoding="utf-8")
    window.new_from_contest(str(fptp), str(tmp / "secretary.osel"), "Jane Smith")
    grid = window.grid
    for figures in ((25, 11, 9, 5), (25, 14, 6, 5)):
        col = grid.new_column()
        for row, value in enumerate(figures):
            grid.set_value(row, col, value)
        grid.submit(col)
    window.record_rejected("unmarked", 2)
    col = grid.new_column()
    for row, value in ((0, 20), (1, 8), (2, 31)):
        grid.set_value(row, col, value)
    grid.table.setCurrentCell(2, col)
    shot(window, out, "bundles")
    window.close_meeting()
    merge_screen(window, out, tmp, contest)
    window.close()
    app.processEvents()
    return 0


def at_200_percent(out: Path, only: str | None) -> int:
    """The same screens on the same laptop at 200%: a process of its own with QT_SCALE_FACTOR=2."""
    with tempfile.TemporaryDirectory(prefix="opensel-shots-screen-") as tmp:
        screen = Path(tmp) / "screen.json"
        screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 2 * SIZE[0],
                                                   "height": 2 * SIZE[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                                                   "dpr": 1}]}))
        env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
               "OPENSEL_SHOT_SUFFIX": "@2x", "OPENSEL_SHOT_CHILD": "1"}
        args = [sys.executable, __file__, *(["--only", only] if only else []), str(out)]
        return subprocess.run(args, env=env, check=False).returncode


if __name__ == "__main__":
    args = sys.argv[1:]
    only = None
    if args[:1] == ["--only"] and len(args) > 1:  # one screen only: --only merge
        only, args = args[1], args[2:]
    target = Path(args[0]) if args else ROOT / "docs" / "screenshots"
    rc = main(target, only)
    if rc == 0 and not os.environ.get("OPENSEL_SHOT_CHILD"):
        rc = at_200_percent(target, only)
    sys.exit(rc)
