"""A whole meeting driven through the real main window by keyboard.

Open a contest file, key 100 ranked papers twice (two tellers, 3 deliberate mismatches, 2 rejections),
reconcile, count, declare, save the signed PDF, reopen as auditor and verify. The oracle for the
count is independent of the GUI and the store: the same papers written to a BLT file and counted by
the BLT path (`app.counting.count_file`).
"""

from __future__ import annotations

import random

import pytest
from gui_keys import key_paper, press, shortcut, type_text
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QWidget

from opensel_desktop.app.counting import count_file
from opensel_desktop.app.sheets import verify_sheet
from opensel_desktop.gui.dialogs.lot_dialog import LotDialog
from opensel_desktop.gui.dialogs.override_dialog import OverrideDialog
from opensel_desktop.gui.main_window import MainWindow
from opensel_desktop.gui.printing import print_to_file

NAMES = ("Łukasz Nowak", "Siân Evans", "Dafydd ap Gwŵr", "Ann Hughes", "Bob Jones")
REJECTED = {17: 4, 60: 5}  # paper -> heading number in the picker (4 = unmarked, 5 = void for uncertainty)
MISMATCHED = (5, 33, 81)  # the second teller keys these wrongly


def papers(n: int = 100) -> list[tuple[int, ...]]:
    rng = random.Random(2026)
    out = []
    for _ in range(n):
        order = list(range(len(NAMES)))
        rng.shuffle(order)
        out.append(tuple(order[: rng.randint(1, len(NAMES))]))
    return out




def key_rejection(window: MainWindow, heading_number: int) -> None:
    form = window.entry.form
    form.focus_box(0)
    type_text(form, "r")
    assert form.reject_open()
    type_text(form, str(heading_number))
    press(form, Qt.Key.Key_Return)


def answer_name(qtbot, window: MainWindow, name: str) -> None:
    dialog = window.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name.setFocus()
    dialog.name.lineEdit().selectAll()
    type_text(dialog, name)
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)


def key_batch(qtbot, window: MainWindow, batch: list[tuple[int, ...]], wrong: tuple[int, ...] = ()) -> None:
    for number, ranking in enumerate(batch, start=1):
        assert window.entry.form.number == number
        if number in REJECTED:
            key_rejection(window, REJECTED[number])
        elif number in wrong:
            key_paper(window, tuple(reversed(ranking)) if len(ranking) > 1 else ((ranking[0] + 1) % len(NAMES),))
        else:
            key_paper(window, ranking)
        assert window.entry.form.number == number + 1, window.entry.form.message.text()


@pytest.mark.slow
def test_a_whole_meeting_by_keyboard(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    batch = papers()

    # open: the contest file becomes a saved contest; the officer gives her name
    osel = tmp_path / "delegates.osel"
    window.new_from_contest(str(contest_file), str(osel))
    answer_name(qtbot, window, "Jane Smith")
    assert window.meeting is not None and osel.is_file()

    # first teller
    shortcut(window, Qt.Key.Key_T)
    answer_name(qtbot, window, "Ann Teller")
    assert "Ann Teller" in window.entry.banner.text()
    key_batch(qtbot, window, batch)
    assert window.status_text.text() == "Paper 100 saved."
    assert window.entry.papers.rowCount() == 100
    assert window.light.state == "red"  # nothing agreed yet, returned not recorded

    # second teller keys the same batch blind, with three deliberate mistakes
    shortcut(window, Qt.Key.Key_E)
    answer_name(qtbot, window, "Bob Teller")
    assert "second entry" in window.entry.banner.text()
    assert window.entry.form.number == 1
    key_batch(qtbot, window, batch, wrong=MISMATCHED)
    assert [r.number for r in window.entry.diff.mismatches()] == list(MISMATCHED)
    assert "3 papers differ" in window.entry.diff_label.text()

    # the papers are looked at: the first entry was right each time
    for _ in MISMATCHED:
        assert window.entry.focus_first_mismatch()
        type_text(window.entry.diff_table, "1")
    assert window.entry.diff.mismatches() == []
    assert "agree" in window.entry.diff_label.text()

    # the ballot paper account: 110 issued, 4 spoilt, 6 unused, 100 returned
    shortcut(window, Qt.Key.Key_2)
    panel = window.account
    spin = panel.spins["returned"]
    spin.setFocus()
    spin.selectAll()
    type_text(spin, "100")
    panel.spins["issued"].setFocus()
    panel.spins["issued"].selectAll()
    type_text(panel.spins["issued"], "110")
    panel.spins["spoilt"].setFocus()
    panel.spins["spoilt"].selectAll()
    type_text(panel.spins["spoilt"], "4")
    panel.spins["unused"].setFocus()
    panel.spins["unused"].selectAll()
    type_text(panel.spins["unused"], "6")
    panel.explanation.setFocus()
    press(panel, Qt.Key.Key_Return)
    assert window.light.state == "green", panel.status.text()

    # count (F5): the same result as the BLT path over the same papers
    shortcut(window, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    result = window.result
    assert result is not None and "PROVISIONAL" in window.results.banner.text()
    valid = [r for n, r in enumerate(batch, start=1) if n not in REJECTED]
    blt = tmp_path / "oracle.blt"
    lines = [f"{len(NAMES)} 2"] + [f"1 {' '.join(str(c + 1) for c in r)} 0" for r in valid] + ["0"]
    lines += [f'"{n}"' for n in NAMES] + ['"oracle"']
    blt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    oracle = count_file(blt, rule="scottish")
    assert result.elected == oracle.elected
    assert [s.votes for s in result.stages] == [s.votes for s in oracle.stages]

    # the returning officer's key, made with the key dialog
    key = tmp_path / "jane.key"
    window.create_key()
    dialog = window.dialog
    assert dialog.path.text() == str(tmp_path.resolve() / "jane-smith.key")  # beside the contest, in full
    for field, text in ((dialog.name, "Jane Smith"), (dialog.path, str(key)), (dialog.passphrase, "correct horse"),
                        (dialog.again, "correct horse")):
        field.setFocus()
        field.selectAll()
        type_text(dialog, text)
    press(dialog, Qt.Key.Key_Return)  # the key is made in the background; the dialog then shows it
    qtbot.waitUntil(lambda: dialog.done_path is not None or bool(dialog.message.text()), timeout=20000)
    assert dialog.done_path == key.resolve() and key.is_file(), dialog.message.text()
    assert dialog.fingerprint_text.count(":") == 31 and dialog.fingerprint_text in dialog.outcome.text()
    press(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.dialog is None)

    # declare: checklist, passphrase (a wrong one first), preview, save the signed PDF
    shortcut(window, Qt.Key.Key_D)
    dialog = window.dialog
    boxes = dialog.findChildren(QCheckBox)
    assert [b.isChecked() for b in boxes] == [True, True, False]
    boxes[2].setFocus()
    press(dialog, Qt.Key.Key_Space)
    assert dialog.next_button.isEnabled()
    press(dialog, Qt.Key.Key_Return)
    dialog.key.setText(str(key))
    dialog.passphrase.setFocus()
    type_text(dialog, "wrong passphrase")
    press(dialog, Qt.Key.Key_Return)  # the key is opened in the background: the window stays responsive
    assert window.ops.busy("unlock") and not dialog.next_button.isEnabled()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=20000)
    assert dialog.step() == 1 and dialog.passphrase.hasFocus() and dialog.next_button.isEnabled()
    assert window.meeting.state() == "counted"  # nothing declared on a wrong passphrase
    dialog.passphrase.setFocus()
    dialog.passphrase.selectAll()
    type_text(dialog, "correct horse")
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.step() == 2 or bool(dialog.message.text()), timeout=30000)
    assert dialog.step() == 2, dialog.message.text()
    assert window.results.banner.text() == "DECLARED RESULT"
    assert len(dialog.images) >= 1 and not dialog.images[0].isNull()
    saved = tmp_path / "declaration-copy.pdf"
    dialog.save_to(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"
    verdict = verify_sheet(saved, osel)
    assert verdict.ok, verdict.problems
    # print preview of the signed pages, and printing them through QPrinter (to a PDF: no printer here)
    dialog.preview_button.click()
    assert dialog.preview.isVisible()
    dialog.preview.close()
    printed = tmp_path / "printed.pdf"
    print_to_file(saved, printed)
    assert len(PdfReader(printed).pages) == len(PdfReader(saved).pages) == len(dialog.images)
    dialog.accept()

    # reopen as auditor: read-only, journal, chain, recount equals the declared result
    window.close_meeting()
    window.open_file(str(osel), readonly=True)
    assert window.meeting.readonly and window.auditor is not None
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Entry" not in titles
    texts = {a.text().replace("&", "") for a in window.actions()}
    assert not {"Declare…", "Count now", "Switch teller…"} & texts  # absent, not disabled
    assert "hash chain holds" in window.auditor.status.text()
    journal = window.auditor.model
    assert journal.rowCount() > 200
    window.auditor.teller.setCurrentIndex(window.auditor.teller.findText("Bob Teller"))
    window.auditor.kind.setCurrentIndex(window.auditor.kind.findData("paper_entered"))
    assert window.auditor.proxy.rowCount() == 98  # the second entry: 98 papers (2 rejections not journaled twice)
    window.auditor.kind.setCurrentIndex(window.auditor.kind.findData("mismatch_resolved"))
    assert window.auditor.proxy.rowCount() == 3
    window.auditor.recount.click()  # in the background: the answer replaces "Recounting…"
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=30000)
    assert window.auditor.diff.item(0).text().startswith("The recount gives exactly the declared result")
    window.audit_pdf(str(saved))
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=30000)
    assert "signature by Jane Smith holds" in window.auditor.diff.item(0).text()
    tampered = tmp_path / "tampered.pdf"
    data = bytearray(saved.read_bytes())
    at = data.index(b"Jane Smith") if b"Jane Smith" in data else len(data) // 2
    data[at] ^= 0x01
    tampered.write_bytes(bytes(data))
    window.audit_pdf(str(tampered))
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=30000)
    first = window.auditor.diff.item(0).text()
    assert "holds" not in first and first, first
    window.close()
    QApplication.processEvents()


def test_a_broken_contest_file_lists_its_problems(qtbot, tmp_path, settings):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: opensel-contest/1\ntitle: x\nmethod: {rule: scottish, seats: 2}\n"
                   "candidates: [Ann, Ann]\n", encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.new_from_contest(str(bad), str(tmp_path / "bad.osel"), "Jane")
    assert window.meeting is None and not (tmp_path / "bad.osel").exists()
    assert window.start.problems.count() >= 1
    line = window.start.problems.item(0).data(Qt.ItemDataRole.UserRole)
    window.start.problems.setFocus()
    press(window.start.problems, Qt.Key.Key_Return)
    assert window.start.current_line() == line
    assert isinstance(window.start.source, type(window.start.source)) and not isinstance(window.start.source, QLineEdit)


def open_meeting_window(qtbot, tmp_path, settings, contest_file, officer="Łukasz Nowak"):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"))
    answer_name(qtbot, window, officer)
    return window


def test_undo_appends_a_correction_and_f2_reopens(qtbot, tmp_path, settings, contest_file):
    window = open_meeting_window(qtbot, tmp_path, settings, contest_file)
    assert "Łukasz Nowak" in window.entry.banner.text()  # a teller can type such a name
    key_paper(window, (0, 1))
    key_paper(window, (2,))
    shortcut(window, Qt.Key.Key_Z)
    assert window.correcting == 2 and window.entry.form.marks == {2: 1}
    window.entry.form.focus_box(2)
    press(window.entry.form, Qt.Key.Key_Backspace)
    key_paper(window, (3, 4))
    assert window.status_text.text() == "Paper 2 saved."
    events = [e for e in window.meeting.session.events() if e.kind in ("paper_entered", "paper_corrected")]
    assert [(e.kind, e.data["paper"], tuple(e.data["marks"])) for e in events] == [
        ("paper_entered", 1, (0, 1)), ("paper_entered", 2, (2,)), ("paper_corrected", 2, (3, 4))]
    rows = window.entry.papers.rows()
    assert [(r.number, r.ranking, r.state) for r in rows] == [(1, (0, 1), "saved"), (2, (3, 4), "corrected")]
    assert window.entry.form.number == 3
    # F2 in the batch list reopens paper 1
    window.entry.list.setFocus()
    window.entry.list.setCurrentIndex(window.entry.papers.index(0, 0))
    press(window.entry.list, Qt.Key.Key_F2)
    assert window.correcting == 1
    window.entry.form.clear()
    key_paper(window, (1, 0))
    assert window.meeting.session.events()[-1].kind == "paper_corrected"
    window.close()


def test_a_refused_paper_stays_in_the_form(qtbot, tmp_path, settings, contest_file):
    window = open_meeting_window(qtbot, tmp_path, settings, contest_file, "Jane Smith")
    key_paper(window, (0,))
    # a paper number that is already saved is refused by the app: nothing is lost or claimed saved
    window.entry.form.set_paper_number(1, "1")
    key_paper(window, (1,))
    assert window.status_text.text() == "Paper 1 saved."
    assert "already entered" in window.entry.form.message.text()
    assert window.entry.form.marks == {1: 1}
    window.close()


FPTP = """\
format: opensel-contest/1
title: Branch secretary
method: {rule: fptp, seats: 1}
candidates: [Ann Hughes, Bob Jones, Cai Lewis]
"""


def test_bundles_for_an_x_vote_contest(qtbot, tmp_path, settings):
    path = tmp_path / "fptp.yaml"
    path.write_text(FPTP, encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.new_from_contest(str(path), str(tmp_path / "fptp.osel"), "Jane Smith")
    grid = window.grid
    assert grid is not None and window.entry is None
    for row, value in ((0, 25), (1, 11), (2, 9), (3, 5)):
        grid.set_value(row, 0, value)
    grid.table.setFocus()
    grid.table.setCurrentCell(1, 0)
    press(grid.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.status_text.text() == "Bundle 1 saved: 25 papers."
    assert grid.table.columnCount() == 3 and grid.columns[1].state == "new"  # the next bundle's column opened
    assert grid.table.currentColumn() == 1
    grid.set_value(0, 1, 10)
    grid.set_value(1, 1, 20)
    assert "Ann Hughes has 20 votes but the bundle has only 10 papers" in grid.message.text()  # as typed
    assert not grid.submit(1)  # does not add up: flagged, not saved
    assert "not ready" in grid.message.text()
    window.close()


def _inside(widget, kinds) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def test_every_control_has_an_accessible_name(qtbot, tmp_path, settings, contest_file):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QHeaderView

    window = open_meeting_window(qtbot, tmp_path, settings, contest_file, "Jane Smith")
    window.declare()
    dialogs = [window.dialog]
    missing = []
    for root in [window, *dialogs]:
        for w in root.findChildren(QWidget):
            if isinstance(w, QAbstractButton | QLineEdit | QComboBox | QAbstractSpinBox | QAbstractItemView) \
                    and not isinstance(w, QHeaderView):
                if w.objectName().startswith("qt_") or _inside(w, QComboBox | QAbstractSpinBox):
                    continue  # Qt's own parts (corner buttons, a combo's popup) speak through their owner
                if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text())):
                    missing.append(f"{type(w).__name__} {w.objectName()} in {type(w.parentWidget()).__name__}")
    assert missing == [], "\n".join(missing)
    window.close()


def test_the_app_opens_the_file_given(qtbot, tmp_path, contest_file, monkeypatch, capsys):
    from opensel_desktop.gui import application

    # a .yaml asks where to save the contest (the file dialog, answered here) and then who is keying
    monkeypatch.setattr("opensel_desktop.gui.main_window.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "from-main.osel"), ""))
    app, window = application.start(["opensel-desktop", str(contest_file)])
    qtbot.addWidget(window)
    assert app.applicationName() == "OpenSel Desktop" and not app.windowIcon().isNull()
    assert window.dialog is not None  # "Who is at the keyboard?"
    answer_name(qtbot, window, "Jane Smith")
    assert (tmp_path / "from-main.osel").is_file() and window.meeting is not None
    window.close()
    app2, missing = application.start(["opensel-desktop", str(tmp_path / "nothing.osel")])
    qtbot.addWidget(missing)
    assert missing.status_text.text() == "nothing.osel was not found; choose a file with Open."
    missing.close()
    assert application.main(["opensel-desktop", "--version"]) == 0
    assert "OpenSel Desktop" in capsys.readouterr().out


def test_declaring_over_an_unreconciled_account_needs_a_reason(qtbot, tmp_path, settings, contest_file):
    from opensel_desktop.app.keys import write_officer_key

    window = open_meeting_window(qtbot, tmp_path, settings, contest_file, "Ann Teller")
    for ranking in ((0, 1), (1, 2, 0), (2,)):
        key_paper(window, ranking)
    window.second_entry("Bob Teller")
    for ranking in ((0, 1), (1, 2, 0), (2,)):
        key_paper(window, ranking)
    assert window.entry.diff.mismatches() == []
    shortcut(window, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    # the account does not reconcile: counting asks for the reason to go ahead anyway (OK waits for one)
    assert isinstance(window.dialog, OverrideDialog) and not window.dialog.ok.isEnabled()
    type_text(window.dialog, "the box is still being counted; a provisional look only")
    press(window.dialog, Qt.Key.Key_Return)
    # three papers for five candidates: the rule cannot separate some of them, so lots are drawn
    drawn = []
    while isinstance(window.dialog, LotDialog):
        lot = window.dialog
        lot.chosen.setCurrentIndex(len(lot.among) - 1)
        drawn.append(lot.chosen.currentText())
        lot.witnesses.setFocus()
        type_text(lot, "Siân Evans")
        press(lot, Qt.Key.Key_Return)
    assert drawn and window.result is not None and window.light.state == "red"
    assert [d.chosen for d in window.meeting.session.lots().values()] == drawn
    assert [lt.chosen for lt in window.result.lots if lt.how == "recorded"] == drawn
    key = tmp_path / "ro.key"
    write_officer_key(key, "Jane Smith", "correct horse")
    window.declare(str(key))
    dialog = window.dialog
    assert dialog.needs_override and "NOT reconcile" in dialog.checks[0].text()
    for box in dialog.checks:
        box.setChecked(True)
    assert not dialog.next_button.isEnabled()  # no reason yet
    dialog.override.setFocus()
    type_text(dialog, "the box count is still being checked; agents agreed to declare")
    assert dialog.next_button.isEnabled()
    press(dialog, Qt.Key.Key_Return)
    dialog.passphrase.setFocus()
    type_text(dialog, "correct horse")
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.step() == 2 or bool(dialog.message.text()), timeout=30000)
    assert dialog.step() == 2, dialog.message.text()
    declared = window.meeting.session.declared
    assert declared.override_reason.startswith("the box count is still being checked")
    assert window.meeting.session.provisional.override_reason.startswith("the box is still being counted")
    dialog.accept()
    window.close()
