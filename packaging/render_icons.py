"""Render the scalable icon to the PNG sizes desktops ask for (QtSvg), into the package's hicolor icon tree
(opensel_desktop/gui/icons/hicolor/<size>x<size>/apps/org.opensel.Desktop.png):

    .venv/bin/python packaging/render_icons.py
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from opensel_desktop import APP_ID  # noqa: E402

TREE = ROOT / "opensel_desktop" / "gui" / "icons" / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts for the "1" need a GUI application
    renderer = QSvgRenderer(str(TREE / "scalable" / "apps" / f"{APP_ID}.svg"))
    if not renderer.isValid():
        raise SystemExit("the scalable icon is not a valid SVG")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = TREE / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(out)):
            raise SystemExit(f"could not write {out}")
        print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
