"""Count > Start a linked recount… (after the declaration): a new saved contest linked to this one.

The declared file is locked and never changed; the new file records the declared file's contest id,
journal head and name (`linked_to`) and starts from its agreed papers (`Session.create_linked_recount`,
the same call as `opensel recount-linked`). The dialog asks where and who; the window does it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QWidget

from opensel_desktop.gui.dialogs.station_dialogs import FormDialog
from opensel_desktop.gui.errors import Refusal


@dataclass(frozen=True, slots=True)
class RecountRequest:
    path: str
    officer: str


class LinkedRecountDialog(FormDialog):
    def __init__(self, act: Callable[[RecountRequest], str], suggested: str, officer: str = "",
                 parent: QWidget | None = None):
        super().__init__(self.tr("Start a linked recount"), self.tr(
            "The declared result stays locked in this file. The recount is a new saved contest that cites this "
            "one (its contest id and journal head) and starts from the same agreed papers; it opens when it "
            "has been created."), parent)
        self._act = act
        self.officer = QLineEdit(officer)
        self.officer.setAccessibleName(self.tr("Returning officer's name"))
        self.form.addRow(self.tr("&Returning officer:"), self.officer)
        self.path = self.path_row(self.tr("Save the recount &as:"), self.tr("Where to save the recount"), suggested,
                                  self.tr("Saved contests (*.osel)"))
        self.path.setFocus()

    def request(self) -> RecountRequest:
        if not self.officer.text().strip():
            raise Refusal(self.tr("Give the returning officer's name."))
        if not self.path.text().strip():
            raise Refusal(self.tr("Choose where to save the recount."))
        return RecountRequest(self.path.text().strip(), self.officer.text().strip())

    def act(self, request: object) -> str:
        assert isinstance(request, RecountRequest)
        return self._act(request)
