"""The layer rule of docs/architecture.md, kept by the machine."""

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "opensel_desktop"
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")
# package -> project packages it must not import
FORBIDDEN = {
    "engine": ("gui", "app", "cli", "store", "report", "contest"),
    "contest": ("gui", "app", "cli", "store", "report"),
    "store": ("gui", "app", "cli", "report"),
    "report": ("gui", "app", "cli", "store"),
    "app": ("gui", "cli"),
    # the faces read the journal only through app: its read model and its use cases
    "cli": ("gui", "store"),
    "gui": ("cli", "store"),
}
ENGINE_FORBIDDEN_MODULES = ("sqlite3", "yaml", "reportlab", "random", "time", "datetime", "os", "pathlib", "io")


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "opensel_desktop":  # `from opensel_desktop import store`
                names += [f"opensel_desktop.{a.name}" for a in node.names]
    return names


def modules_of(package: str):
    return sorted((PKG / package).rglob("*.py"))


def test_only_gui_imports_qt():
    offenders = [
        f"{p.relative_to(PKG)} imports {name}"
        for p in PKG.rglob("*.py")
        if "gui" not in p.relative_to(PKG).parts
        for name in imports(p)
        if name.split(".")[0] in QT
    ]
    assert offenders == []


def test_layers_point_down_only():
    offenders = []
    for package, forbidden in FORBIDDEN.items():
        for p in modules_of(package):
            for name in imports(p):
                parts = name.split(".")
                if parts[0] == "opensel_desktop" and len(parts) > 1 and parts[1] in forbidden:
                    offenders.append(f"{p.relative_to(PKG)} imports {name}")
    assert offenders == []


def test_engine_touches_no_files_clock_or_randomness():
    offenders = []
    for p in modules_of("engine"):
        text = p.read_text(encoding="utf-8")
        offenders += [f"{p.name}: {n}" for n in imports(p) if n.split(".")[0] in ENGINE_FORBIDDEN_MODULES]
        if "open(" in text.replace("_open(", ""):
            offenders.append(f"{p.name}: calls open()")
    assert offenders == []
