"""The account override in the window: when the ballot paper account does not reconcile (figures that do
not add up, or a station's batch issued and not merged), the declaration dialog asks for the reason; it is
journaled with the declaration and printed on the signed sheet. Nothing sends the officer to the command
line: the reason is typed in the dialog, by keyboard.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gui_keys import press, type_text
from pypdf import PdfReader
from PySide6.QtCore import Qt

from opensel_desktop.app import account as account_uc
from opensel_desktop.app import declaring, entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.keys import make_officer_key, write_officer_key
from opensel_desktop.app.stations import IssuedBatch, create_station_pack
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.gui.dialogs.declare_dialog import DeclareDialog
from opensel_desktop.gui.main_window import MainWindow

PAPERS = [(0, 1)] * 5 + [(1, 0, 2)] * 4 + [(2, 3)] * 2 + [(3,)]
PASSPHRASE = "correct horse"
REASON = "three papers were taken away by members who left early; agents agreed"


@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "ro.key"
    write_officer_key(path, "Jane Smith", PASSPHRASE)
    return path


def meeting(path: Path, contest_file: Path, issued: int, returned: int, station_batch: bool = False) -> Path:
    with Session.create(load_contest(contest_file), path, "Jane Smith") as s:
        for marks in PAPERS:
            entry.enter_paper(s, list(marks), "Ann Teller", batch="1", single=True)
        account_uc.record_account(s, "in-room", issued, 4, 6, returned)  # expected: issued - 4 spoilt - 6 unused
        if station_batch:  # a batch issued to a teller station whose file never came back
            create_station_pack(s, "table-9", path.with_name("table-9.oselpack"), "station passphrase",
                                [IssuedBatch("A", 101, 150)], officer_key=make_officer_key("Jane Smith"))
        declaring.count_meeting(s, override_reason="a provisional look before the box is recounted")
        entry.switch_teller(s, "Jane Smith", "returning officer")
    return path


def open_declare(qtbot, settings, path: Path, key: Path) -> tuple[MainWindow, DeclareDialog]:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.open_file(str(path), teller="Jane Smith")
    assert window.meeting is not None, window.status_text.text()
    window.declare(str(key))
    dialog = window.dialog
    assert isinstance(dialog, DeclareDialog)
    return window, dialog


def tick_all(dialog: DeclareDialog) -> None:
    for box in dialog.checks:
        box.setFocus()
        if not box.isChecked():
            press(dialog, Qt.Key.Key_Space)


def sign(qtbot, dialog: DeclareDialog) -> None:
    press(dialog, Qt.Key.Key_Return)
    assert dialog.step() == 1
    dialog.passphrase.setFocus()
    type_text(dialog, PASSPHRASE)
    press(dialog, Qt.Key.Key_Return)  # the sheets are built and signed in the background
    qtbot.waitUntil(lambda: dialog.step() == 2 or bool(dialog.message.text()), timeout=30000)
    assert dialog.step() == 2, dialog.message.text()


def sheet_text(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages))


def test_override_reason_typed_in_the_dialog_is_journaled_and_on_the_sheet(qtbot, tmp_path, settings, contest_file,
                                                                            key):
    path = meeting(tmp_path / "m.osel", contest_file, 25, 15)  # 15 found, 12 counted: does not reconcile
    window, dialog = open_declare(qtbot, settings, path, key)
    assert window.light.state == "red"
    assert dialog.needs_override and dialog.override.isVisible() and "NOT reconcile" in dialog.checks[0].text()
    assert "opensel" not in dialog.checks[0].text()  # no command line in the window
    tick_all(dialog)
    assert not dialog.next_button.isEnabled()  # every box ticked, but no reason yet
    dialog.override.setFocus()
    type_text(dialog, "   ")
    assert not dialog.next_button.isEnabled()  # blanks are not a reason
    dialog.override.selectAll()
    type_text(dialog, REASON)
    assert dialog.next_button.isEnabled()
    sign(qtbot, dialog)
    declared = window.meeting.session.declared
    assert declared.override_reason == REASON and declared.account["acceptable"] is False
    assert declared.officer == "Jane Smith"
    pdf = dialog.pdf
    assert pdf is not None and pdf.is_file()
    text = sheet_text(pdf)
    assert "did not reconcile" in text and "taken away by members who left early" in text, text[:2000]
    dialog.accept()
    window.close()
    # the auditor's replay of the file sees the same reason
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.declared.override_reason == REASON


def test_a_batch_issued_to_a_station_and_not_merged_needs_the_reason_too(qtbot, tmp_path, settings, contest_file,
                                                                         key):
    path = meeting(tmp_path / "m.osel", contest_file, 22, 12, station_batch=True)  # reconciles but for table-9
    window, dialog = open_declare(qtbot, settings, path, key)
    assert dialog.needs_override and "table-9/A" in dialog.checks[0].text()
    tick_all(dialog)
    assert not dialog.next_button.isEnabled()
    dialog.override.setFocus()
    type_text(dialog, "table 9 never used its papers; all 50 returned unused and sealed")
    sign(qtbot, dialog)
    declared = window.meeting.session.declared
    assert declared.override_reason.startswith("table 9 never used its papers")
    assert declared.account.get("outstanding_batches") == ["table-9/A"]
    assert "table 9 never used its papers" in sheet_text(dialog.pdf)
    dialog.accept()
    window.close()


def test_a_reconciled_account_asks_for_no_reason(qtbot, tmp_path, settings, contest_file, key):
    path = meeting(tmp_path / "m.osel", contest_file, 22, 12)  # 22 - 4 - 6 = 12 found = 12 counted
    window, dialog = open_declare(qtbot, settings, path, key)
    assert window.light.state == "green"
    assert not dialog.needs_override and not dialog.override.isVisible()
    tick_all(dialog)
    assert dialog.next_button.isEnabled()
    sign(qtbot, dialog)
    declared = window.meeting.session.declared
    assert declared.override_reason is None and declared.account["acceptable"] is True
    assert "did not reconcile" not in sheet_text(dialog.pdf)
    dialog.accept()
    window.close()
