"""The documentation holds together: every relative link and image in README.md and docs/*.md points at a
file in the repository, and the user guide's command blocks run exactly as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = sorted([p for p in [REPO / "README.md"] if p.exists()] + list((REPO / "docs").glob("*.md")))

FENCE = re.compile(r"^(```|~~~).*?^\1", flags=re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
# [text](target "title") and ![alt](target); the target stops at whitespace or the closing parenthesis
INLINE_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", flags=re.M)
HTML_SRC = re.compile(r"<(?:img|a|source)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", flags=re.I)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", flags=re.I)  # http:, mailto:, //host


def targets(text: str) -> list[str]:
    """Every link or image target in a Markdown text, outside code blocks and inline code."""
    prose = INLINE_CODE.sub("", FENCE.sub("", text))
    found = INLINE_LINK.findall(prose) + REFERENCE.findall(prose) + HTML_SRC.findall(prose)
    return [t for t in found if not EXTERNAL.match(t)]


def test_the_link_finder_sees_links_and_skips_code() -> None:
    text = ("See [the guide](docs/user-guide.md#teller) and ![shot](screenshots/a%20b.png \"title\").\n"
            "[web](https://example.org) [top](#top) `[not](a-link.md)`\n"
            "```\n[nor](this.md)\n```\n[ref]: other.md\n<img src=\"x.png\" alt=\"\">\n")
    assert targets(text) == ["docs/user-guide.md#teller", "screenshots/a%20b.png", "#top", "other.md", "x.png"]


def test_there_are_documents_to_check() -> None:
    names = {p.name for p in DOCS}
    assert {"user-guide.md", "rules.md", "cli.md", "contest-format.md"} <= names


def anchors(markdown: str) -> set[str]:
    """The anchors GitHub makes for a document's headings: lower case, punctuation dropped, spaces to
    hyphens, a repeated heading numbered -1, -2, ..."""
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", FENCE.sub("", markdown), flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def test_anchors_follow_github() -> None:
    text = "# Rule sets\n## fptp: first past the post\n## Trigger ballot (`kind: trigger`, `trigger:`)\n## Rule sets\n"
    assert anchors(text) == {"rule-sets", "fptp-first-past-the-post", "trigger-ballot-kind-trigger-trigger",
                             "rule-sets-1"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(doc: Path) -> None:
    broken = []
    for target in targets(doc.read_text(encoding="utf-8")):
        path, _, anchor = unquote(target.split("?", 1)[0]).partition("#")
        resolved = (doc.parent / path).resolve() if path else doc
        if not resolved.exists() or REPO not in resolved.parents:
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved.read_text(encoding="utf-8")):
            broken.append(target)
    assert not broken, f"{doc.relative_to(REPO)}: links to missing files or headings: {', '.join(broken)}"


def test_rules_page_lists_every_rule_set_with_its_version() -> None:
    from opensel_desktop.engine import RULES

    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for info in RULES.values():
        assert f"| `{info.name}`" in page or f"[`{info.name}`]" in page, info.name
        assert f"`{info.version}`" in page, info.version


def test_user_guide_shows_screenshots() -> None:
    guide = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    images = [t for t in targets(guide) if t.startswith("screenshots/") and t.endswith(".png")]
    assert len(images) >= 10
    assert any("sheet-" in t for t in images) and any("gui-" in t for t in images)


@pytest.mark.slow
def test_user_guide_commands_run_as_written(tmp_path: Path) -> None:
    """Every ```sh block of docs/user-guide.md, in order, in an empty folder: one meeting from contest file
    to audit. `set -e`: any command that fails (exit 1 or 2) fails the test."""
    guide = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", guide, flags=re.S)
    assert len(blocks) >= 8
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "opensel").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m opensel_desktop.cli "$@"\n')
    (bin_dir / "opensel").chmod(0o755)
    work = tmp_path / "meeting"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "OPENSEL_PASSPHRASE"}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONIOENCODING="utf-8")
    proc = subprocess.run(["bash", "-c", "set -e\n" + "\n".join(blocks)], cwd=work, capture_output=True,
                          text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert "Traceback" not in proc.stderr
    out = proc.stdout
    for words in ("Batch 1: agreed, 12 papers, no mismatches.", "The ballot paper account reconciles.",
                  "Lot drawn at stage 2", "Elected: Siân Evans, Tom Jones", "verdict:         OK",
                  "matches meeting.osel: yes", "All checks hold."):
        assert words in out
    assert (work / "declaration.pdf").read_bytes().startswith(b"%PDF")
