"""Teller stations in the window: File > Export station pack…, Export batch… on a station's file, and File > Import
batch files… with its table of files and statuses, all driven through the real dialogs by keyboard.

The station's keying between the pack and the export is done through the app's session (the same calls
the entry view makes, tested in test_meeting.py); everything the officer and the station export, import
and merge here goes through the window. The oracle for the merged count is a count of the same papers
keyed straight into a plain meeting (app.core), not anything the dialog shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_keys import press, shortcut, type_text
from PySide6.QtCore import Qt

from opensel_desktop.app import declaring, entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.keys import write_officer_key
from opensel_desktop.app.station_pack import read_pack
from opensel_desktop.app.stations import create_station_file
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.gui.dialogs.merge_dialog import MergeDialog
from opensel_desktop.gui.dialogs.station_dialogs import BatchExportDialog, StationPackDialog
from opensel_desktop.gui.main_window import MainWindow
from opensel_desktop.store import events as ev

PASSPHRASE = "table one passphrase"
OFFICER_PASSPHRASE = "Jane's own passphrase"
PAPERS_A = [(0, 1), (1, 2, 0), (2,), (3, 4), (0,), (4, 3, 2)]
PAPERS_B = [(1, 0), (2, 3), (0, 2)]


def key_double(session: Session, batch: str, papers) -> None:
    for marks in papers:
        entry.enter_paper(session, list(marks), "Ann Teller", batch=batch)
    for marks in papers:
        entry.enter_paper(session, list(marks), "Bob Teller", batch=batch, second=True)


def window_on(qtbot, settings, path: Path, teller: str) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.open_file(str(path), teller=teller)
    assert window.meeting is not None, window.status_text.text()
    return window


def fill(dialog, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    type_text(dialog, text)


def menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for a in window.meeting_actions]


@pytest.fixture
def officer_file(tmp_path, contest_file) -> Path:
    path = tmp_path / "meeting.osel"
    Session.create(load_contest(contest_file), path, "Jane Smith").close()
    return path


@pytest.fixture(scope="module")
def officer_key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "jane.key"
    write_officer_key(path, "Jane Smith", OFFICER_PASSPHRASE)
    return path


def export_pack(qtbot, window: MainWindow, out: Path, station: str, batches: str, key: Path,
                key_passphrase: str = OFFICER_PASSPHRASE) -> StationPackDialog:
    window.export_station_pack()
    dialog = window.dialog
    assert isinstance(dialog, StationPackDialog)
    fill(dialog, dialog.station, station)
    fill(dialog, dialog.batches, batches)
    fill(dialog, dialog.key, str(key))
    fill(dialog, dialog.officer_passphrase, key_passphrase)
    fill(dialog, dialog.passphrase, PASSPHRASE)
    fill(dialog, dialog.again, PASSPHRASE)
    fill(dialog, dialog.path, str(out))
    press(dialog, Qt.Key.Key_Return)
    return dialog


def test_pack_export_and_merge_through_the_window(qtbot, tmp_path, settings, officer_file, officer_key,
                                                 monkeypatch):
    # 1. officer's laptop: the station pack, typed into the dialog (Enter = OK)
    officer = window_on(qtbot, settings, officer_file, "Jane Smith")
    assert "&Import batch files…" in menu_texts(officer) and "Export &batch…" not in menu_texts(officer)
    pack = tmp_path / "table-1.oselpack"
    wrong = export_pack(qtbot, officer, pack, "table-1", "A=1-10, B=11-20", officer_key, "not her passphrase")
    assert wrong.isVisible() and "passphrase is wrong" in wrong.message.text() and not pack.exists()
    wrong.reject()
    dialog = export_pack(qtbot, officer, pack, "table-1", "A=1-10, B=11-20", officer_key)
    assert not dialog.isVisible() and pack.is_file(), dialog.message.text()
    assert officer.status_text.text().startswith("Station table-1 registered") and str(tmp_path) not in \
        officer.status_text.text()
    assert [b["label"] for b in read_pack(pack)["batches"]] == ["A", "B"]
    # the same station again is refused inline, the dialog stays open and nothing is written
    again = export_pack(qtbot, officer, tmp_path / "again.oselpack", "table-1", "C=21-30", officer_key)
    assert again.isVisible() and "already registered" in again.message.text()
    assert not (tmp_path / "again.oselpack").exists()
    again.reject()
    officer.close()

    # 2. the station keys batches A and B twice (its own file, made from the pack)
    station_file = tmp_path / "table-1.osel"
    with create_station_file(pack, station_file, "Ann Teller", PASSPHRASE) as station:
        key_double(station, "A", PAPERS_A)
        key_double(station, "B", PAPERS_B)
        entry.enter_paper(station, [0], "Ann Teller", batch="C")  # keyed once only: not agreed, not offered
    window = window_on(qtbot, settings, station_file, "Ann Teller")
    assert "Export &batch…" in menu_texts(window) and "&Import batch files…" not in menu_texts(window)
    files = {}
    for label in ("A", "B"):
        window.export_batch_file()
        d = window.dialog
        assert isinstance(d, BatchExportDialog)
        assert [d.batch.itemText(i) for i in range(d.batch.count())] == ["A", "B"]
        d.batch.setCurrentText(label)
        files[label] = Path(d.path.text())
        assert files[label].parent == tmp_path and files[label].suffix == ".oselbatch"
        fill(d, d.passphrase, "wrong passphrase")
        press(d, Qt.Key.Key_Return)
        assert d.isVisible() and "passphrase is wrong" in d.message.text() and not files[label].exists()
        fill(d, d.passphrase, PASSPHRASE)
        press(d, Qt.Key.Key_Return)
        assert not d.isVisible() and files[label].is_file(), d.message.text()
        assert window.status_text.text().startswith(f"Batch {label} of station table-1 exported")
    window.close()

    # 3. officer's laptop: File > Import batch files… (Ctrl+I), the files chosen in the file dialog
    officer = window_on(qtbot, settings, officer_file, "Jane Smith")
    monkeypatch.setattr("opensel_desktop.gui.station_actions.QFileDialog.getOpenFileNames",
                        lambda *a, **k: ([str(files["B"]), str(files["A"])], ""))
    shortcut(officer, Qt.Key.Key_I)
    merge = officer.dialog
    assert isinstance(merge, MergeDialog)
    assert merge.statuses() == {files["B"].name: "ready to merge", files["A"].name: "ready to merge"}
    assert merge.model.rowCount() == 2 and merge.model.index(0, 1).data() == "table-1"
    assert merge.model.index(0, 3).data() == str(len(PAPERS_B))
    assert merge.table.hasFocus() or merge.focusWidget() is merge.table
    assert "batch A (papers 1-10): issued, not returned yet." in merge.account.toPlainText()
    press(merge, Qt.Key.Key_Return)  # Enter in the table presses Merge, the default button
    qtbot.waitUntil(lambda: not officer.ops.busy(), timeout=30000)  # merged in the background
    assert merge.statuses() == {files["B"].name: "merged", files["A"].name: "merged"}
    assert "2 merged" in merge.summary.text() and not merge.merge_button.isEnabled()
    account = merge.account.toPlainText()  # the account by station, as the app words it
    assert f"Station table-1: 2 batches merged, {len(PAPERS_A) + len(PAPERS_B)} papers." in account
    assert "every batch issued has been returned" in account
    assert officer.status_text.text() == "2 batch files merged."
    merged = [e for e in officer.meeting.session.events() if e.kind == ev.BATCH_MERGED]
    assert sorted(e.data["batch"] for e in merged) == ["A", "B"]
    press(merge, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: officer.dialog is None)

    # the merged count equals a count of the same papers keyed straight into one meeting
    oracle_file = tmp_path / "oracle.osel"
    with Session.create(load_contest(tmp_path / "delegates.yaml"), oracle_file, "Jane Smith") as oracle:
        key_double(oracle, "A", PAPERS_A)
        key_double(oracle, "B", PAPERS_B)
        expected = declaring.count_meeting(oracle, seed="s", journal=False).to_json_dict()
    assert declaring.count_meeting(officer.meeting.session, seed="s", journal=False).to_json_dict() == expected
    officer.close()


def test_refused_and_repeated_files_merge_nothing(qtbot, tmp_path, settings, officer_file, officer_key):
    officer = window_on(qtbot, settings, officer_file, "Jane Smith")
    pack = tmp_path / "t.oselpack"
    export_pack(qtbot, officer, pack, "t", "A=1-10", officer_key)
    officer.close()
    with create_station_file(pack, tmp_path / "t.osel", "Ann Teller", PASSPHRASE) as station:
        key_double(station, "A", PAPERS_A)
    station_window = window_on(qtbot, settings, tmp_path / "t.osel", "Ann Teller")
    station_window.export_batch_file()
    d = station_window.dialog
    good = tmp_path / "good.oselbatch"
    fill(d, d.path, str(good))
    fill(d, d.passphrase, PASSPHRASE)
    press(d, Qt.Key.Key_Return)
    assert good.is_file(), d.message.text()
    station_window.close()

    data = good.read_bytes()
    edited = tmp_path / "edited.oselbatch"
    i = data.index(b'"marks":[') + len(b'"marks":[')  # one byte of a paper's marks changed after signing
    edited.write_bytes(data[:i] + (b"1" if data[i:i + 1] != b"1" else b"2") + data[i + 1:])
    truncated = tmp_path / "truncated.oselbatch"
    truncated.write_bytes(data[: len(data) // 2])

    officer = window_on(qtbot, settings, officer_file, "Jane Smith")
    before = len(officer.meeting.session.events())
    officer.import_batches([str(edited), str(truncated)])
    merge = officer.dialog
    assert merge.statuses() == {"edited.oselbatch": "refused", "truncated.oselbatch": "refused"}
    assert not merge.merge_button.isEnabled() and "2 refused" in merge.summary.text()
    why = [merge.model.index(r, 5).data() for r in range(2)]
    assert all(w.endswith("nothing was merged from it.") for w in why) and not any(str(tmp_path) in w for w in why)
    # Enter with nothing to merge closes the dialog; nothing was written
    press(merge, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: officer.dialog is None)
    assert len(officer.meeting.session.events()) == before

    # the good file merges; the same file again is a no-op; the refused ones stay refused beside it
    officer.import_batches([str(good), str(edited)])
    merge = officer.dialog
    assert merge.statuses() == {"good.oselbatch": "ready to merge", "edited.oselbatch": "refused"}
    merge.merge_button.setFocus()
    press(merge, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not officer.ops.busy(), timeout=30000)
    assert merge.statuses() == {"good.oselbatch": "merged", "edited.oselbatch": "refused"}
    assert len(officer.meeting.session.events()) == before + 1
    merge.reject()
    officer.import_batches([str(good)])
    merge = officer.dialog
    assert merge.statuses() == {"good.oselbatch": "already merged"}
    assert "already merged" in merge.model.index(0, 5).data() and not merge.merge_button.isEnabled()
    merge.reject()
    assert len(officer.meeting.session.events()) == before + 1
    officer.close()


def test_auditor_gets_no_station_actions(qtbot, settings, officer_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.open_file(str(officer_file), readonly=True)
    texts = [a.text() for a in window.actions()]
    assert not any("batch" in t.lower() or "station" in t.lower() or "linked" in t.lower() for t in texts)
    window.close()
