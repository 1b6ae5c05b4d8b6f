"""Print preview and printing of the signed PDF the report module made.

PySide6-Essentials has no QtPdf, so the preview draws the
PDF's own pages rendered by `pdftoppm` (poppler-utils). The preview and the paper therefore show
exactly the signed file, not a second layout that could disagree with it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

PREVIEW_DPI = 110
PRINT_DPI = 200


class PreviewError(Exception):
    """The PDF could not be rendered; the message is a sentence for the returning officer."""


def render_pages(pdf: Path, dpi: int = PREVIEW_DPI, timeout: float = 60.0) -> list[QImage]:
    """Render each page of `pdf` to an image with pdftoppm (bounded in time: never a hang)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PreviewError("The preview needs poppler-utils (pdftoppm); install it, or open the saved PDF instead.")
    with tempfile.TemporaryDirectory(prefix="opensel-preview-") as tmp:
        try:
            subprocess.run([exe, "-r", str(dpi), "-png", str(pdf), str(Path(tmp) / "page")],
                           check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            raise PreviewError(f"{pdf.name} could not be shown; save it and open it in a PDF reader.") from None
        pages = sorted(Path(tmp).glob("page*.png"))
        images = [QImage(str(p)) for p in pages]
    if not images or any(img.isNull() for img in images):
        raise PreviewError(f"{pdf.name} has no pages to show; make the sheets again.")
    return images


def paint_pages(printer: QPrinter, images: list[QImage]) -> None:
    """Draw each page image to fit the printer's page, keeping its proportions."""
    painter = QPainter()
    if not painter.begin(printer):
        raise PreviewError("The printer could not be started; check it is switched on, or save the PDF instead.")
    try:
        for i, img in enumerate(images):
            if i:
                printer.newPage()
            area = QRectF(painter.viewport())
            scaled = img.size().scaled(area.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(area.x(), area.y(), scaled.width(), scaled.height())
            painter.drawImage(target, img)
    finally:
        painter.end()


def new_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    return printer


def preview_dialog(pdf: Path, parent: QWidget | None = None) -> QPrintPreviewDialog:
    """A QPrintPreviewDialog whose pages are the PDF's; its Print button prints them."""
    images = render_pages(pdf)
    printer = new_printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ref = printer  # the dialog does not own its printer: keep it alive as long as the dialog
    dialog.setWindowTitle(dialog.tr("Print preview: {0}").format(pdf.name))
    dialog.setAccessibleName(dialog.tr("Print preview"))
    dialog.paintRequested.connect(lambda printer: paint_pages(printer, images))
    return dialog


def print_to_file(pdf: Path, out: Path) -> None:
    """Print through QPrinter into a PDF file (how tests and machines without a printer print)."""
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    paint_pages(printer, render_pages(pdf, PRINT_DPI))
