"""Which voting channel the next batch of papers came through (in-room, postal, online), asked when a
contest has several: each batch's papers are then counted in its channel's line of the ballot paper
account, so every channel can be reconciled on its own. Up/Down and Enter choose; Esc keeps the batch
where it was."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget


class ChannelDialog(QDialog):
    def __init__(self, channels: list[str], current: str | None, batch: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Channel of batch {0}").format(batch))
        self.setAccessibleName(self.tr("Channel of the new batch"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Channels"))
        self.list.addItems(channels)
        self.list.setCurrentRow(channels.index(current) if current in channels else 0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        intro = QLabel(self.tr("Batch {0}: which papers are these? They are counted in that channel's line of the "
                               "ballot paper account.").format(batch))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:  # noqa: N802 - the Qt name
        super().showEvent(event)
        self.list.setFocus()

    def channel(self) -> str:
        item = self.list.currentItem()
        return item.text() if item is not None else ""
