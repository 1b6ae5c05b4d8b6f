"""The main window: a thin shell of menus, actions, pages and the status bar.

The pages are views; `Meeting` (gui/meeting.py) talks to the app's Session. The status bar says
"Paper N saved" only from the app's Changes record, i.e. after the store committed it. The window's own
actions (File, View, Help) are made once; a writable contest adds its Entry and Count menus when it opens
and takes them away when it closes, so no shortcut is ever defined twice. In auditor mode the edit
actions are never created: absent, not disabled. Closing or opening a contest resets every view.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from opensel_desktop import APP_NAME, __version__
from opensel_desktop.app.changes import (
    ACCOUNT,
    AREAS,
    BUNDLES,
    CONTEST,
    LOTS,
    PAPERS,
    REJECTIONS,
    STATE,
    STATIONS,
    TELLER,
    Changes,
)
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.errors import ContestError
from opensel_desktop.engine import Result
from opensel_desktop.gui.audit_actions import AuditActions
from opensel_desktop.gui.bridge import Bridge
from opensel_desktop.gui.count_actions import CountActions
from opensel_desktop.gui.dialogs.session_dialog import SessionDialog
from opensel_desktop.gui.dialogs.shortcuts_dialog import ShortcutsDialog
from opensel_desktop.gui.entry_actions import EntryActions
from opensel_desktop.gui.errors import no_commands, show_error
from opensel_desktop.gui.meeting import SECOND_SIDE, Meeting, create_meeting, open_meeting
from opensel_desktop.gui.ops import BackgroundOps
from opensel_desktop.gui.station_actions import StationActions
from opensel_desktop.gui.views.account_panel import AMBER, GREEN, RED, AccountPanel, TrafficLight
from opensel_desktop.gui.views.auditor_view import AuditorView
from opensel_desktop.gui.views.ballot_form import default_hotkeys
from opensel_desktop.gui.views.entry_view import EntryView
from opensel_desktop.gui.views.grid_entry import GridEntryView
from opensel_desktop.gui.views.projector_view import ProjectorView
from opensel_desktop.gui.views.results_view import ResultsView
from opensel_desktop.gui.views.start_view import StartView
from opensel_desktop.gui.views.status_line import BusySign, StatusLine
from opensel_desktop.gui.views.trigger_view import TriggerView

RECENT_KEY = "recent"
MAX_RECENT = 8
# which areas of the meeting (app/changes.py) each group of views shows: a write redraws only those it touched
ACCOUNT_VIEW = frozenset({ACCOUNT, PAPERS, BUNDLES, REJECTIONS, STATIONS, CONTEST})
ENTRY_VIEW = frozenset({PAPERS, BUNDLES, REJECTIONS, TELLER, STATE, STATIONS})
COUNT_VIEW = frozenset({PAPERS, BUNDLES, REJECTIONS, LOTS, STATIONS, CONTEST})
SEPARATOR = "\u2014"  # the title's "OpenSel Desktop 0.1.0 — <contest>"


def window_title(contest: str = "", auditor: bool = False) -> str:
    title = f"{APP_NAME} {__version__}"
    if contest:
        title += f" {SEPARATOR} {contest}"
    if auditor:
        title += " " + QCoreApplication.translate("MainWindow", "(auditor, read-only)")
    return title


class MainWindow(QMainWindow, EntryActions, CountActions, AuditActions, StationActions):
    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings or QSettings()
        self.meeting: Meeting | None = None
        self.result: Result | None = None
        self.correcting: int | None = None
        self.projector: ProjectorView | None = None
        self.dialog: QDialog | None = None  # the window-modal dialog now open (tests reach it here)
        self.last_pdf: Path | None = None
        self.bridge = Bridge(self)
        self.ops = BackgroundOps(self)
        self.undo = QUndoStack(self)
        self.setWindowTitle(window_title())
        self.setAccessibleName(APP_NAME)
        self.resize(1200, 720)

        self.pages = QStackedWidget()
        self.start = StartView()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Meeting"))
        self.pages.addWidget(self.start)
        self.pages.addWidget(self.tabs)
        self.setCentralWidget(self.pages)
        self.entry: EntryView | None = None
        self.grid: GridEntryView | None = None
        self.account = AccountPanel()
        self.results = ResultsView()
        self.auditor: AuditorView | None = None
        self.trigger_view: TriggerView | None = None  # unit returns of a trigger ballot

        self.status_text = StatusLine()
        self.status_text.setAccessibleName(self.tr("Status"))
        self.busy = BusySign()
        self.light = TrafficLight()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.light)

        self.start.new_requested.connect(lambda: self.new_from_contest())
        self.start.open_requested.connect(lambda: self.open_file())
        self.start.audit_requested.connect(lambda: self.open_file(readonly=True))
        self.start.recent_chosen.connect(lambda path: self.open_file(path))
        self.ops.busy_changed.connect(self.busy.show_work)
        self.ops.failed_unhandled.connect(lambda exc: show_error(self, exc))
        self.results.cancel_button.clicked.connect(self.cancel_count)
        self.account.record_requested.connect(self.record_account)
        self.bridge.changed.connect(self.apply_changes)
        self.bridge.error.connect(self.say)
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(0)  # coalesce a burst of entries into one recount
        self._live_timer.timeout.connect(self.live_recount)
        self.meeting_actions: list[QAction] = []  # made when a writable contest opens, deleted when it closes
        self.meeting_menus: list[QMenu] = []
        self._build_actions()
        self.light.set_state(AMBER, self.tr("No contest open"))
        self._show_recent()
        self.restoreGeometry(self.settings.value("geometry", b""))

    # --- actions and menus -----------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        """The window's own menus, made once for the life of the window."""
        bar = self.menuBar()
        self.all_actions: list[QAction] = []
        self.file_menu = bar.addMenu(self.tr("&File"))
        acts = [
            self._action(self.tr("&New from contest file…"), self.new_from_contest, "Ctrl+N"),
            self._action(self.tr("&Open saved contest…"), self.open_file, "Ctrl+O"),
            self._action(self.tr("Open as &auditor…"), lambda: self.open_file(readonly=True), "Ctrl+Shift+O"),
        ]
        self.file_menu.addActions(acts)
        self.file_menu.addSeparator()
        self.close_action = self._action(self.tr("&Close contest"), self.close_meeting, "Ctrl+W")
        quit_action = self._action(self.tr("&Quit"), self.close, "Ctrl+Q")
        self.file_menu.addActions([self.close_action, quit_action])
        self.all_actions += acts + [self.close_action, quit_action]
        view = bar.addMenu(self.tr("&View"))
        acts = [
            self._action(self.tr("&Entry"), lambda: self._tab(self.entry or self.grid or self.trigger_view), "Ctrl+1"),
            self._action(self.tr("&Account"), lambda: self._tab(self.account), "Ctrl+2"),
            self._action(self.tr("&Results"), lambda: self._tab(self.results), "Ctrl+3"),
            self._action(self.tr("&Projector view"), self.toggle_projector, "F11"),
        ]
        view.addActions(acts)
        self.all_actions += acts
        help_menu = bar.addMenu(self.tr("&Help"))
        acts = [self._action(self.tr("&Keyboard shortcuts"), self.show_shortcuts, "F1"),
                self._action(self.tr("&About"), self.about)]
        help_menu.addActions(acts)
        self.all_actions += acts

    def _meeting_action(self, text: str, slot, shortcut: str | None = None) -> QAction:
        action = self._action(text, slot, shortcut)
        self.meeting_actions.append(action)
        return action

    def _build_edit_actions(self) -> None:
        """Actions that change the contest: made only for a writable contest, never for an auditor."""
        m = self.meeting
        assert m is not None
        bar = self.menuBar()
        entry = QMenu(self.tr("&Entry"), bar)
        bar.insertMenu(bar.actions()[1], entry)
        acts = [
            self._meeting_action(self.tr("&Switch teller…"), self.switch_teller, "Ctrl+T"),
            self._meeting_action(self.tr("Second &entry of this batch…"), self.second_entry, "Ctrl+E"),
            self._meeting_action(self.tr("&Go to the first mismatch (again: reopen the paper)"), self.go_to_mismatch,
                                 "F2"),
        ]
        if m.contest.ranked:
            undo = self.undo.createUndoAction(self, self.tr("&Undo"))  # "Undo paper 12": a correction is appended
            undo.setShortcut(QKeySequence("Ctrl+Z"))
            self.addAction(undo)
            self.meeting_actions.append(undo)
            acts[1:1] = [
                self._meeting_action(self.tr("&New batch"), self.new_batch, "Ctrl+B"),
                self._meeting_action(self.tr("New &single-entry batch (officer's decision)…"), self.new_single_batch,
                                     "Ctrl+Shift+B"),
            ]
            acts.append(self._meeting_action(self.tr("&Withdraw a paper keyed by mistake (officer)…"),
                                             self.withdraw_paper, "Ctrl+Shift+Del"))
            acts.append(undo)
        if m.contest.kind == "election" and not m.contest.ranked:
            acts.append(self._meeting_action(self.tr("Record re&jected papers…"), self.record_rejected, "Ctrl+J"))
        entry.addActions(acts)
        count = QMenu(self.tr("&Count"), bar)
        bar.insertMenu(bar.actions()[2], count)
        count.addActions([
            self._meeting_action(self.tr("&Count now"), self.count_now, "F5"),
            self._meeting_action(self.tr("&Declare…"), self.declare, "Ctrl+D"),
            self._meeting_action(self.tr("Create returning officer's &key…"), self.create_key, "Ctrl+K"),
        ])
        self.meeting_menus += [entry, count]
        self.meeting_actions += self._build_station_actions(self.file_menu, count, self.close_action)

    def _remove_edit_actions(self) -> None:
        for action in self.meeting_actions:
            self.removeAction(action)
            action.deleteLater()  # gone from every menu it was in
        self.meeting_actions = []
        for menu in self.meeting_menus:
            self.menuBar().removeAction(menu.menuAction())
            menu.deleteLater()
        self.meeting_menus = []

    def shortcut_actions(self) -> list[QAction]:
        """Every action of the window that has a key (what Help > Keyboard shortcuts lists)."""
        return [a for a in self.actions() if not a.shortcut().isEmpty()]

    # --- opening and closing ---------------------------------------------------------------------------

    def new_from_contest(self, yaml_path: str | None = None, osel_path: str | None = None,
                         officer: str | None = None) -> None:
        from opensel_desktop.contest.yaml_io import load_contest

        if yaml_path is None:
            yaml_path, _ = QFileDialog.getOpenFileName(self, self.tr("New from contest file"), "",
                                                       self.tr("Contest files (*.yaml *.yml)"))
            if not yaml_path:
                return
        try:
            contest = load_contest(yaml_path)
        except ContestError as exc:
            self.pages.setCurrentWidget(self.start)
            self.start.show_problems(yaml_path, exc.problems)
            self.say(self.tr("The contest file has problems; they are listed on the start screen."))
            return
        except (AppError, OSError) as exc:
            show_error(self, exc, yaml_path)
            return
        self.start.clear_problems()
        if osel_path is None:
            suggested = str(Path(yaml_path).with_suffix(".osel"))
            osel_path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the contest as"), suggested,
                                                       self.tr("Saved contests (*.osel)"))
            if not osel_path:
                return
        if officer is None:
            self.ask_name(lambda name, role: self._create(contest, osel_path, name), contest.tellers,
                          contest.returning_officer, "returning officer")
            return
        self._create(contest, osel_path, officer)

    def _create(self, contest, osel_path: str, officer: str) -> None:
        try:
            meeting = create_meeting(contest, osel_path, officer)
        except (AppError, OSError) as exc:
            show_error(self, exc, osel_path)
            return
        self._attach(meeting)

    def open_file(self, path: str | None = None, readonly: bool = False, teller: str | None = None) -> None:
        if path is None:
            title = self.tr("Open as auditor") if readonly else self.tr("Open saved contest")
            path, _ = QFileDialog.getOpenFileName(self, title, "", self.tr("Saved contests (*.osel);;"
                                                                           "Contest files (*.yaml *.yml)"))
            if not path:
                return
        if Path(path).suffix.lower() in (".yaml", ".yml"):
            self.new_from_contest(path)
            return
        if readonly:
            self._open(path, "auditor", "auditor", True)
        elif teller is None:
            self.ask_name(lambda name, role: self._open(path, name, role, False))
        else:
            self._open(path, teller, "teller", False)

    def _open(self, path: str, teller: str, role: str, readonly: bool) -> None:
        try:
            meeting = open_meeting(path, teller, role, readonly)
        except (AppError, OSError) as exc:
            show_error(self, exc, path)
            return
        self._attach(meeting)

    def _attach(self, meeting: Meeting) -> None:
        self.close_meeting()
        self.meeting = meeting
        self._remember(str(meeting.path), meeting.state())
        contest = meeting.contest
        self.setWindowTitle(window_title(contest.title or meeting.path.stem, meeting.readonly))
        declared = meeting.state() == "declared"
        resumed = ""
        if meeting.readonly:
            self.auditor = AuditorView()
            self.auditor.recount_requested.connect(self.audit_recount)
            self.auditor.pdf_check_requested.connect(lambda: self.audit_pdf())
            self.tabs.addTab(self.auditor, self.tr("Journal and checks"))
        else:
            self._build_edit_actions()
            if contest.ranked:
                meeting.batch, meeting.side = meeting.resume_point()
                meeting.channel = meeting.batch_channel()
                resumed = self._resume_words()
                hot = default_hotkeys(contest.names, meeting.hotkeys())
                self.entry = EntryView(contest.names, contest.rejection_headings, hot)
                self.entry.form.paper_entered.connect(self.paper_entered)
                self.entry.resolve_requested.connect(self.resolve)
                self.entry.reopen_requested.connect(self.reopen)
                self.tabs.addTab(self.entry, self.tr("Entry"))
            elif contest.kind == "election":
                per_paper = contest.seats if contest.rule == "block" else 1
                if any(e.second is not None for e in meeting.bundle_entries()):
                    meeting.side = SECOND_SIDE
                self.grid = GridEntryView(contest.names, votes_per_paper=per_paper)
                self.grid.bundle_entered.connect(self.bundle_entered)
                self.grid.resolve_requested.connect(self.resolve_bundle)
                self.tabs.addTab(self.grid, self.tr("Bundles"))
            elif contest.rule == "trigger":  # unit returns entered one by one
                self.trigger_view = TriggerView(meeting.session)
                self.trigger_view.saved.connect(lambda c: (self._refresh_after_write(), self.say(c.message)))
                self.tabs.addTab(self.trigger_view, self.tr("Unit returns"))
            self.account.set_editable(not declared)
        self.tabs.addTab(self.account, self.tr("Account"))
        self.tabs.addTab(self.results, self.tr("Results"))
        self.pages.setCurrentWidget(self.tabs)
        self.results.set_declared(declared)
        self._refresh_after_write(full=True)
        if declared and not meeting.readonly:
            self._lock_declared()
        if meeting.readonly:
            self._fill_auditor()
        self.say(self.tr("{0} opened.").format(meeting.path.name) + (" " + resumed if resumed else ""))

    def _resume_words(self) -> str:
        m = self.meeting
        assert m is not None
        agreed = [b.label for b in m.session.batches() if b.state == "agreed" and not b.bundle]
        if m.side == SECOND_SIDE:
            return self.tr("Batch {0}: the second entry goes on.").format(m.batch)
        if agreed and m.batch not in agreed:
            return self.tr("Keying goes on in a new batch, {0}: batch {1} is agreed and stays as it is.").format(
                m.batch, agreed[-1]) if len(agreed) == 1 else self.tr(
                "Keying goes on in a new batch, {0}: batches {1} are agreed and stay as they are.").format(
                m.batch, ", ".join(agreed))
        return ""

    def _lock_declared(self) -> None:
        text = self.tr("The result is declared and the contest is locked; a recount starts a new linked contest "
                       "(Count > Start a linked recount).")
        if self.entry is not None:
            self.entry.set_locked(text)
            self._refresh_banner()
        if self.grid is not None:
            self.grid.set_locked(text)
        self.account.set_editable(False)

    def close_meeting(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None
        self.ops.cancel()
        self._live_timer.stop()
        if self.meeting is not None:
            self.meeting.close()
        self.meeting = None
        self.undo.clear()
        self.correcting = None
        self.last_pdf = None
        self._remove_edit_actions()
        self.tabs.clear()
        for name in ("entry", "grid", "auditor", "trigger_view"):
            view = getattr(self, name)
            if view is not None:
                view.deleteLater()
                setattr(self, name, None)
        self.result = None
        self.account.reset()
        self.results.reset()
        if self.projector is not None:
            self.projector.results.reset()
        self.pages.setCurrentWidget(self.start)
        self.light.set_state(AMBER, self.tr("No contest open"))
        self.setWindowTitle(window_title())
        self._show_recent()

    # --- helpers ---------------------------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """One write's record, delivered by the bridge: redraw what its events touched, nothing else."""
        self._refresh_after_write(areas=changes.areas)

    def _refresh_after_write(self, full: bool = False, areas: frozenset[str] | None = None) -> None:
        """Redraw the views showing `areas` (None: every view; `full` also reloads the entry form)."""
        m = self.meeting
        if m is None:
            return
        touched = frozenset(AREAS) if areas is None or full else areas
        if touched & ACCOUNT_VIEW:
            self._refresh_account(m)
        if self.entry is not None and touched & ENTRY_VIEW:
            if full:
                self.entry.set_papers(m.papers())
                self.entry.form.clear()
                self.entry.form.set_paper_number(m.next_number(), m.batch)
            if full or m.side == SECOND_SIDE:
                self.entry.set_diff(m.diff_rows())
            self._refresh_banner()
            self.entry.set_batches(m.session.batches())
        if self.grid is not None and touched & ENTRY_VIEW:
            self._refresh_grid(full)
        if self.trigger_view is not None and not full:
            self.trigger_view.refresh()
        if self.auditor is not None:
            self._fill_auditor()
        if touched & COUNT_VIEW:
            self._live_timer.start()

    def _refresh_account(self, m: Meeting) -> None:
        rows, reconciles, message = m.account_rows()
        message = no_commands(message)
        self.account.set_channels([c.name for c in m.contest.channels] or ["in-room"])
        if m.nothing_keyed():
            self.account.set_rows(rows, reconciles, message)
            self.account.set_waiting(self.tr("Nothing to reconcile yet: no paper has been keyed."))
            self.light.set_state(AMBER, self.tr("Account: nothing to reconcile yet"))
        else:
            self.account.set_rows(rows, reconciles, message)
            if len(rows) <= 1:  # only the "all channels" line: no channel's figures have been recorded
                self.light.set_state(AMBER, self.tr("No ballot paper account recorded"))
            else:
                self.light.set_state(GREEN if reconciles else RED, self.tr("Account reconciles") if reconciles
                                     else self.tr("Account does not reconcile"))

    def _refresh_banner(self) -> None:
        m = self.meeting
        if m is None or self.entry is None:
            return
        if self.results.declared:
            self.entry.banner.setText(self.tr("Declared: this contest is locked and nothing more can be keyed"))
            return
        mode = self.tr("second entry (blind)") if m.side == SECOND_SIDE else self.tr("first entry")
        if m.is_single(m.batch):
            mode = self.tr("single entry (no second entry)")
        if m.batch_channel():
            mode += " · " + m.batch_channel()
        self.entry.set_banner(m.teller, self.tr(m.role), m.batch, mode)

    def ask_name(self, then, known: tuple[str, ...] = (), name: str = "", role: str = "teller") -> None:
        dialog = SessionDialog(self, known, name, role)
        dialog.accepted.connect(lambda: then(*dialog.values()))
        self._open_dialog(dialog)

    def _open_dialog(self, dialog: QDialog) -> None:
        """Window-modal and non-blocking: the event loop keeps running (and tests can type into it)."""
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()

    def say(self, text: str) -> None:
        self.status_text.setText(text)

    def _tab(self, widget: QWidget | None) -> None:
        if widget is not None and self.tabs.indexOf(widget) >= 0:
            self.tabs.setCurrentWidget(widget)
            if widget is self.entry and self.entry is not None:
                self.entry.form.focus_box(0)
            elif widget is self.grid and self.grid is not None:
                self.grid.focus_new()
            elif widget is self.account:
                self.account.focus_figures()

    def toggle_projector(self) -> None:
        if self.projector is not None and self.projector.isVisible():
            self.projector.close()
            return
        self.projector = ProjectorView()
        self.projector.results.declared = self.results.declared
        self.projector.results.show_result(self.result)
        self.projector.showFullScreen()

    def show_shortcuts(self) -> None:
        self._open_dialog(ShortcutsDialog(self.shortcut_actions(), self))

    def about(self) -> None:
        QMessageBox.about(self, APP_NAME, self.tr("{0} {1}: offline counting, declaration and audit of party "
                                                  "selection ballots.").format(APP_NAME, __version__))

    def _remember(self, path: str, state: str) -> None:
        entries = [e for e in self._recent() if e[0] != path]
        entries.insert(0, (path, state))
        self.settings.setValue(RECENT_KEY, [f"{s}\t{p}" for p, s in entries[:MAX_RECENT]])

    def _recent(self) -> list[tuple[str, str]]:
        raw = self.settings.value(RECENT_KEY, []) or []
        if isinstance(raw, str):
            raw = [raw]
        out = []
        for item in raw:
            state, _, path = str(item).partition("\t")
            if path:
                out.append((path, state))
        return out

    def _show_recent(self) -> None:
        self.start.set_recent([(p, s) for p, s in self._recent() if Path(p).exists()])

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.close_meeting()
        if self.projector is not None:
            self.projector.close()
        self.ops.wait(5000)
        event.accept()
