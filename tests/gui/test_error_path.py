"""The window's one error path: every refusal becomes one sentence for the window (its GUI wording, file names
without folders, no command of the command line); a fault of the app saves a report and opens the crash
dialog, and the exception's own words never reach the screen."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from opensel_desktop.app import entry
from opensel_desktop.app.errors import AppError
from opensel_desktop.gui import crash
from opensel_desktop.gui.errors import error_text, no_commands, show_error
from opensel_desktop.gui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
COMMAND = re.compile(r"`opensel|(?<![\w-])--[a-z]")


@pytest.fixture(autouse=True)
def reports(tmp_path):
    crash.set_folder(tmp_path / "crash-reports")
    yield tmp_path / "crash-reports"
    crash.set_folder(None)


def app_sentences() -> list[str]:
    """Every string literal of the app layer that names a command or an option of the command line."""
    found = []
    for path in sorted((REPO / "opensel_desktop" / "app").glob("*.py")):
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if tok.type == tokenize.STRING and COMMAND.search(tok.string) and "argparse" not in tok.string:
                found.append(re.sub(r"^[rbfu]*(\"\"\"|'''|\"|')|(\"\"\"|'''|\"|')$", "", tok.string, flags=re.I))
    return found


def test_no_command_line_command_reaches_the_window():
    sentences = app_sentences()
    assert len(sentences) > 20
    for text in sentences:
        shown = error_text(AppError(text))
        assert not COMMAND.search(shown), (text, shown)
    assert no_commands("the journal does not verify; inspect it with `opensel audit`.") == \
        "the journal does not verify; inspect it with File > Open as auditor."
    assert "Count now (F5)" in no_commands("no count has been saved; run `opensel count m.osel` first.")


def test_a_refusal_is_worded_for_the_window(qtbot, tmp_path):
    exc = AppError(f"{tmp_path}/m.osel: batch 2 is not agreed yet", hint_cli="run `opensel diff`.",
                   hint_gui="resolve each difference in the comparison list (F2).")
    assert error_text(exc, tmp_path / "m.osel") == \
        "Batch 2 is not agreed yet; resolve each difference in the comparison list (F2)."
    # a path anywhere in the sentence becomes its file name
    assert error_text(AppError(f"{tmp_path}/keys/ro.key: the passphrase is wrong.")) == "The passphrase is wrong."
    assert str(tmp_path) not in error_text(AppError(f"could not write {tmp_path}/out/sheet.pdf now"))
    # a file that cannot be written: its name, why, and what to do; never the folder
    gone = tmp_path / "gone" / "sheet.pdf"
    try:
        gone.write_text("x")
    except OSError as oserror:
        text = error_text(oserror)
    assert text.startswith("The file sheet.pdf could not be read or written (no such file or directory)")
    assert str(tmp_path) not in text
    label = QLabel()
    assert show_error(label, exc) == label.text() and "comparison list" in label.text()
    assert "color" in label.styleSheet()


def test_a_fault_of_the_app_saves_a_report_and_says_so_without_its_words(reports):
    try:
        {}["internal detail nobody should read"]
    except KeyError as exc:
        text = error_text(exc)
    assert "internal detail" not in text and "KeyError" not in text
    assert "a report was saved as crash-" in text and "Nothing saved is lost" in text
    saved = list(reports.glob("crash-*.txt"))
    assert len(saved) == 1
    report = saved[0].read_text(encoding="utf-8")
    assert "KeyError" in report and "internal detail" in report and "Traceback" in report


@pytest.mark.qt_no_exception_capture
def test_an_uncaught_exception_opens_the_crash_dialog(qtbot, reports, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    crash.install()

    def slot() -> None:
        raise RuntimeError("a fault in a slot")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: crash.last_dialog is not None, timeout=5000)
    dialog = crash.last_dialog
    assert dialog.isVisible() and "Nothing is lost" in dialog.intro.text()
    assert dialog.path is not None and dialog.path.parent == reports.resolve()
    assert "a fault in a slot" in dialog.path.read_text(encoding="utf-8")
    assert "a fault in a slot" not in dialog.intro.text()  # the words stay in the report
    dialog.reject()
    qtbot.waitUntil(lambda: crash.last_dialog is None)


def test_an_edited_file_opened_to_write_is_refused_in_window_words(qtbot, tmp_path, settings, contest_file):
    from opensel_desktop.app.core import Session
    from opensel_desktop.contest.yaml_io import load_contest

    path = tmp_path / "m.osel"
    with Session.create(load_contest(contest_file), path, "Jane Smith") as s:
        entry.enter_paper(s, [0, 1], "Ann Teller")
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("UPDATE events SET payload = replace(payload, '[0,1]', '[1,0]') WHERE seq = 2")
    con.commit()
    con.close()
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.open_file(str(path), teller="Ann Teller")
    said = window.status_text.text()
    assert window.meeting is None and said and not COMMAND.search(said) and str(tmp_path) not in said
    window.close()


def test_the_window_never_words_an_exception_itself():
    """One owner: call sites hand exceptions to show_error / error_text, never str(exc)."""
    offenders = []
    for path in (REPO / "opensel_desktop" / "gui").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"str\(exc\)|\.setText\(str\(e", line):
                offenders.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    assert offenders == []
