"""The seams between the package and a desktop: icons found as package data wherever the package is installed,
the desktop files stamped from the package (version, icon names) and valid."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from opensel_desktop import APP_ID, __version__
from opensel_desktop.gui.application import app_icon, icon_files

REPO = Path(__file__).resolve().parents[2]


def metadata_module():
    spec = importlib.util.spec_from_file_location("opensel_packaging_metadata", REPO / "packaging" / "metadata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_icons_are_package_data(qtbot):
    files = icon_files()
    package = resources.files("opensel_desktop.gui")
    assert len(files) == 8 and all(str(f).startswith(str(package)) for f in files)
    assert all(f.name == f"{APP_ID}.png" for f in files)
    assert not app_icon().isNull() and len(app_icon().availableSizes()) == 8
    source = (REPO / "opensel_desktop" / "gui" / "application.py").read_text(encoding="utf-8")
    assert "parents[" not in source  # nothing reaches outside the package for its data


def test_desktop_files_are_stamped_from_the_package(tmp_path, monkeypatch):
    meta = metadata_module()
    written = meta.install(tmp_path)
    share = tmp_path / "share"
    desktop = (share / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    icon = re.search(r"(?m)^Icon=(.+)$", desktop).group(1)
    assert icon == APP_ID
    installed = sorted(p.relative_to(share) for p in share.glob(f"icons/hicolor/*/apps/{icon}.*"))
    assert len(installed) == 9 and Path("icons/hicolor/scalable/apps") / f"{APP_ID}.svg" in installed
    info = (share / "metainfo" / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert f'<release version="{__version__}"' in info
    assert len(written) == 11
    # a new version of the package is a new release in the metainfo, without editing the file by hand
    monkeypatch.setattr(meta, "__version__", "9.8.7")
    assert re.search(r'<releases>\s*<release version="9\.8\.7" date="\d{4}-\d\d-\d\d"/>', meta.metainfo())
    for tool, args in (("desktop-file-validate", [str(share / "applications" / f"{APP_ID}.desktop")]),
                       ("appstreamcli", ["validate", "--no-net", str(share / "metainfo" / f"{APP_ID}.metainfo.xml")])):
        if shutil.which(tool):
            proc = subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)
            assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_an_installed_wheel_finds_its_icons_away_from_the_source(tmp_path):
    """What `pipx install .` does: a wheel, installed elsewhere, run from another folder."""
    pytest.importorskip("wheel", reason="the dev extras bring wheel; this venv was made before them")
    src = tmp_path / "src"  # a copy: the build leaves nothing in the repository
    shutil.copytree(REPO / "opensel_desktop", src / "opensel_desktop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, src / name)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path / "wheel"), str(src)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    wheel = next((tmp_path / "wheel").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert f"opensel_desktop/gui/icons/hicolor/256x256/apps/{APP_ID}.png" in names
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    script = ("import opensel_desktop, sys; from opensel_desktop.gui.application import make_app, app_icon, icon_files;"
              "app = make_app(['x']); print(opensel_desktop.__file__); print(len(icon_files()), app_icon().isNull())")
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env=env)
    assert run.returncode == 0, run.stderr
    where, icons = run.stdout.split("\n")[:2]
    assert where.startswith(str(site)) and icons == "8 False"
