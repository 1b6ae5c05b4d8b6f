"""How the window words the next step of a refusal: menus and shortcuts, never a command to type."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from opensel_desktop.app.errors import Next, register_words


def tr(text: str) -> str:
    return QCoreApplication.translate("Next", text)


def register() -> None:
    """Called when the window starts (translations are loaded by then)."""
    register_words("gui", {
        Next.FINISH_SECOND_ENTRY: tr("finish its second entry (Entry > Second entry, Ctrl+E) and resolve each "
                                     "difference in the comparison list."),
        Next.RESOLVE_MISMATCHES: tr("resolve each difference in the comparison list (F2 jumps to the next)."),
        Next.RECORD_ACCOUNT_OR_OVERRIDE: tr("record the figures in the Account tab (Ctrl+2), or give the reason for "
                                            "going ahead anyway when asked."),
        Next.DRAW_LOT: tr("count now (F5) to draw it in the lot dialog."),
        Next.COUNT_FIRST: tr("count the contest first (F5)."),
        Next.MERGE_OR_OVERRIDE: tr("import the station's batch file (File > Import batch files), or give the reason "
                                   "for going ahead without it when asked."),
        Next.AUDIT: tr("open it as an auditor (File > Open as auditor) to see where the record breaks."),
        Next.USE_BACKUP: tr("open the copy of the saved contest you kept."),
        Next.RECOUNT_LINKED: tr("a recount now needs a linked recount contest (File > Linked recount)."),
        Next.GIVE_REASON: tr("give the reason in the Reason box."),
        Next.CORRECT_INSTEAD: tr("correct it with Ctrl+Z or F2 instead of keying it again."),
        Next.WITHDRAW_REJECTION_FIRST: tr("withdraw that rejection first (Ctrl+Z)."),
        Next.OTHER_TELLER: tr("switch teller (Ctrl+T): another teller keys the second entry."),
        Next.GIVE_KEY: tr("choose the returning officer's key in the Declare dialog (Ctrl+D)."),
        Next.PIN_KEY: tr("choose the returning officer's key when declaring."),
        Next.OPEN_WRITABLE: tr("open the contest normally (File > Open), not as an auditor."),
        Next.RESOLVE_BUNDLE: tr("if the entries differ, the returning officer records the true totals in the bundle "
                                "comparison (Ctrl+R)."),
        Next.ENTER_PAPERS: tr("key the papers, and finish the second entry of each batch."),
    })


register()  # at import: every refusal the window shows is worded for the window
