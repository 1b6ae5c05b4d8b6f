"""Several teller laptops (teller stations) and the linked recount, as the window does them (part of
MainWindow).

Every step calls the app function its command calls: `opensel station-pack` -> create_station_pack,
`opensel batch-export` -> export_batch, `opensel merge` -> inspect_batch_file / merge_batches,
`opensel recount-linked` -> Session.create_linked_recount. The actions exist only for a writable
meeting (never for an auditor); on a station's own file only Export batch is offered. Merging runs as a
background op with its own connection to the saved contest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from opensel_desktop.app import declaring
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.stations import (
    BatchFileStatus,
    create_station_pack,
    export_batch,
    inspect_batch_file,
    merge_batches,
    parse_issued,
    station_account,
)
from opensel_desktop.gui.dialogs.linked_recount_dialog import LinkedRecountDialog, RecountRequest
from opensel_desktop.gui.dialogs.merge_dialog import MergeDialog
from opensel_desktop.gui.dialogs.station_dialogs import (
    BatchExportDialog,
    BatchRequest,
    PackRequest,
    StationPackDialog,
)
from opensel_desktop.gui.errors import Refusal, error_text, without_paths


@dataclass(frozen=True, slots=True)
class MergeRequest:
    contest: Path
    files: tuple[str, ...]
    officer: str


def merge_job(r: MergeRequest) -> tuple[BatchFileStatus, ...]:
    """On a worker: verify and merge the files into the saved contest through a session of its own."""
    with Session.open(r.contest, r.officer) as session:
        return merge_batches(session, list(r.files), officer=r.officer)


class StationActions:
    """Mixed into MainWindow: works on the window's meeting; each write is one app call."""

    def _build_station_actions(self, file: QMenu, count: QMenu, before: QAction) -> list[QAction]:
        """Added to the File and Count menus when a writable meeting opens (removed with the edit actions)."""
        m = self.meeting
        if m is None or m.readonly:
            return []
        if m.session.replay.station_pack:  # a teller station's own file
            file_acts = [self._action(self.tr("Export &batch…"), self.export_batch_file, "Ctrl+Shift+E")]
        else:
            file_acts = [self._action(self.tr("&Import batch files…"), self.import_batches, "Ctrl+I"),
                         self._action(self.tr("Export &station pack…"), self.export_station_pack)]
        count_acts = [self._action(self.tr("Start a &linked recount…"), self.start_linked_recount)]
        file.insertActions(before, file_acts)  # above Close contest, set apart from it
        separator = file.insertSeparator(before)
        count.addSeparator()
        count.addActions(count_acts)
        return file_acts + count_acts + [separator]

    # --- merge (officer's laptop) -------------------------------------------------------------------------

    def import_batches(self, paths: list[str] | None = None) -> None:
        m = self.meeting
        if m is None or m.readonly:
            return
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Import batch files"), str(m.path.parent),
                                                    self.tr("Batch files (*.oselbatch);;All files (*)"))
            if not paths:
                return

        def inspect(files) -> list[BatchFileStatus]:
            return [inspect_batch_file(p, m.session) for p in files]

        def merge(files) -> None:
            dialog = self.dialog
            assert isinstance(dialog, MergeDialog)
            self.ops.run("merge", merge_job, MergeRequest(m.path, tuple(str(f) for f in files), m.teller),
                         success=dialog.merge_done, failure=lambda exc: dialog.merge_failed(error_text(exc, m.path)),
                         label=self.tr("Merging batch files…"))

        dialog = MergeDialog(inspect, merge, paths, self, account=lambda: station_account(m.session).lines())
        dialog.merged.connect(self._batches_merged)
        self._open_dialog(dialog)

    def _batches_merged(self, merged: int) -> None:
        if merged:
            self.say(self.tr("1 batch file merged.") if merged == 1 else
                     self.tr("{0} batch files merged.").format(merged))
            self._refresh_after_write(full=True)

    # --- station pack (officer's laptop) and batch export (station) ---------------------------------------

    def export_station_pack(self) -> None:
        m = self.meeting
        if m is None or m.readonly:
            return

        def act(r: PackRequest) -> str:
            where = str(m.path)
            try:
                info = create_station_pack(m.session, r.station, r.path, r.passphrase, parse_issued(r.batches, where),
                                           officer=m.teller, officer_key=r.key_path or None,
                                           officer_passphrase=r.officer_passphrase)
            except AppError as exc:
                raise Refusal(error_text(exc, m.path, r.path, r.key_path)) from None
            return without_paths(info.message, r.path)

        folder = m.path.parent
        dialog = StationPackDialog(act, str(folder / "station.oselpack"), str(self.settings.value("key", "")), self)
        dialog.accepted.connect(lambda: self._station_written(dialog.done_message))
        self._open_dialog(dialog)

    def export_batch_file(self) -> None:
        m = self.meeting
        if m is None or m.readonly:
            return

        def act(r: BatchRequest) -> str:
            try:
                info = export_batch(m.session, r.batch, r.path, r.passphrase, first_paper=r.first_paper,
                                    exported_by=m.teller)
            except AppError as exc:
                raise Refusal(error_text(exc, m.path, r.path)) from None
            return without_paths(info.message, r.path)

        agreed = [b.label for b in m.session.batches() if b.state in ("agreed", "single")]
        dialog = BatchExportDialog(act, agreed, str(m.path.parent), m.session.station, self)
        dialog.accepted.connect(lambda: self._station_written(dialog.done_message))
        self._open_dialog(dialog)

    def _station_written(self, message: str) -> None:
        self.say(message)
        self._refresh_after_write()

    # --- the linked recount (after the declaration) -------------------------------------------------------

    def start_linked_recount(self) -> None:
        m = self.meeting
        if m is None or m.readonly:
            return
        if m.state() != "declared":
            self.say(self.tr("The result is not declared yet; count again with F5 instead of a linked recount."))
            return
        created: list[RecountRequest] = []

        def act(r: RecountRequest) -> str:
            try:
                declaring.create_linked_recount(m.session, r.path, r.officer).close()
            except AppError as exc:
                raise Refusal(error_text(exc, m.path, r.path)) from None
            created.append(r)
            return ""

        suggested = m.path.with_name(m.path.stem + "-recount.osel")
        dialog = LinkedRecountDialog(act, str(suggested), m.teller, self)
        dialog.accepted.connect(lambda: self._recount_created(created[-1]) if created else None)
        self._open_dialog(dialog)

    def _recount_created(self, r: RecountRequest) -> None:
        """Open the new file in this window: the declared one is closed, unchanged."""
        old = self.meeting.path.name if self.meeting is not None else ""
        self._open(r.path, r.officer, "returning officer", False)
        if self.meeting is not None and self.meeting.path.resolve() == Path(r.path).resolve():
            self.say(self.tr("Linked recount {0} created from the declared {1}; its papers are ready to count.")
                     .format(Path(r.path).name, old))
