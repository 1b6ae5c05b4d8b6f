"""The desktop files of an installed OpenSel Desktop, stated once from the package: the .desktop entry, the
AppStream metainfo with the package's version, and the hicolor icons the entry's Icon= names.

    .venv/bin/python packaging/metadata.py DEST      # writes DEST/share/{applications,metainfo,icons}

`packaging/build.sh` lays them into the bundle this way (and validates what it wrote); a distribution
package or `make install` can do the same into its staging root.
"""

from __future__ import annotations

import re
import shutil
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from opensel_desktop import APP_ID, __version__  # noqa: E402

ICONS = ROOT / "opensel_desktop" / "gui" / "icons" / "hicolor"


def desktop_entry() -> str:
    text = (HERE / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    return re.sub(r"(?m)^Icon=.*$", f"Icon={APP_ID}", text)


def metainfo(today: date | None = None) -> str:
    """The metainfo with the package's version as its newest release (added, dated today, if it is new)."""
    text = (HERE / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    if f'<release version="{__version__}"' in text:
        return text
    stamp = (today or date.today()).isoformat()
    return text.replace("<releases>", f'<releases>\n    <release version="{__version__}" date="{stamp}"/>', 1)


def install(dest: Path) -> list[Path]:
    share = dest / "share"
    written = []
    apps = share / "applications" / f"{APP_ID}.desktop"
    meta = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    for path, text in ((apps, desktop_entry()), (meta, metainfo())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for icon in sorted(ICONS.glob(f"*/apps/{APP_ID}.*")):
        target = share / "icons" / "hicolor" / icon.relative_to(ICONS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icon, target)
        written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: metadata.py DEST")
    for p in install(Path(sys.argv[1])):
        print(p)
