"""A corpus of hostile contest files (.yaml) and CSV ballot files, built into a folder.

Each input is small and deliberate: one attack or one broken thing per file, so that a refusal is one
sentence. They are grouped by what they try: the YAML machinery (tags, aliases, nesting, documents),
the bytes (binary, UTF-16, bad UTF-8, truncation), text that would act on a terminal or deceive a reader
(escape sequences, bidi overrides, zero-width and look-alike letters), figures that would hang or overflow a
count (huge, long, negative or non-ASCII numbers) and files that are not files (pipes, devices, folders).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HEAD = "format: opensel-contest/1\ntitle: Hostile test\nmethod: {rule: scottish, seats: 1}\n"
CANDIDATES = "candidates: [Ann Smith, Bob Jones, Cat Lee]\n"
BALLOTS = "ballots:\n  - {ranking: [Ann Smith, Bob Jones], count: 3}\n  - {ranking: [Cat Lee], count: 2}\n"
VALID = HEAD + CANDIDATES + BALLOTS
TRIGGER = ("format: opensel-contest/1\nkind: trigger\ntitle: T\ntrigger:\n  classes:\n    - name: Branches\n"
           "      units: [{units}]\n")
MOTION = "format: opensel-contest/1\nkind: motion\ntitle: T\nmotion: {{text: Motion, for: {n}, against: 1}}\n"
CSV_HEAD = "Ann Smith,Bob Jones,Cat Lee\n"


@dataclass(frozen=True, slots=True)
class Hostile:
    path: Path
    what: str  # what it tries, in a few words


def _bomb() -> str:
    lines = ["format: opensel-contest/1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 10)]
    return "\n".join(lines + ["candidates: *a9"]) + "\n"


def yaml_inputs() -> dict[str, tuple[str, bytes]]:
    """name -> (what it tries, the file's bytes)."""
    t: dict[str, tuple[str, str | bytes]] = {}

    def cand(name: str) -> str:  # the candidates line with one hostile name, quoted as written
        return HEAD + f"candidates: [Ann Smith, {name}, Cat Lee]\n"

    # the YAML machinery
    t["python-apply"] = ("code execution tag", VALID.replace(
        "title: Hostile test", "title: !!python/object/apply:os.system ['echo pwned > pwned.txt']"))
    t["python-name"] = ("python name tag", VALID.replace("title: Hostile test", "title: !!python/name:os.system"))
    t["python-module"] = ("python module tag", VALID.replace("title: Hostile test", "title: !!python/module:os"))
    t["set-tag"] = ("!!set", VALID.replace("title: Hostile test", "title: !!set {a: null}"))
    t["custom-tag"] = ("a local tag", VALID.replace("title: Hostile test", "title: !evil x"))
    t["tag-directive"] = ("%TAG mapping ! to python", "%TAG ! tag:yaml.org,2002:python/\n---\n"
                          + VALID.replace("title: Hostile test", "title: !object:os.system x"))
    t["binary-tag"] = ("!!binary", VALID.replace("title: Hostile test", "title: !!binary aGVsbG8="))
    t["alias-bomb"] = ("billion laughs", _bomb())
    t["alias-self"] = ("an alias inside itself", HEAD + "candidates: &a [Ann, *a]\n")
    t["alias-many"] = ("more than 100 aliases", HEAD + "x: &x Ann\ncandidates: [" + ", ".join(["*x"] * 150) + "]\n")
    t["alias-undefined"] = ("an undefined alias", HEAD + "candidates: [*nobody]\n")
    t["anchor-twice"] = ("an anchor defined twice", HEAD + "candidates: [&a Ann, &a Bob]\n")
    t["deep-lists"] = ("100,000 nested lists", HEAD + "candidates: " + "[" * 100_000 + "]" * 100_000 + "\n")
    t["deep-maps"] = ("20,000 nested mappings", HEAD + "candidates: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n")
    t["duplicate-key"] = ("a key twice", VALID + "title: Other\n")
    t["merge-key"] = ("a merge key", VALID + "<<: {title: x}\n")
    t["complex-key"] = ("a list as a key", VALID + "? [a, b]\n: c\n")
    t["two-documents"] = ("a second document", VALID + "---\ntitle: again\n")
    t["list-root"] = ("a list at the top", "- format: opensel-contest/1\n- Ann\n")
    t["scalar-root"] = ("text at the top", "just some text\n")
    t["newer-format"] = ("a newer format", VALID.replace("opensel-contest/1", "opensel-contest/9"))
    t["bad-indentation"] = ("broken YAML", HEAD + "candidates:\n  - Ann\n - Bob\n")
    t["tab-indentation"] = ("tabs for indentation", HEAD + "candidates:\n\t- Ann\n\t- Bob\n")
    t["unclosed-quote"] = ("an unclosed quote", HEAD + 'candidates: ["Ann, Bob]\n')
    t["bad-escape"] = ("an unknown escape", HEAD + 'candidates: ["Ann\\q", Bob]\n')
    t["bool-name"] = ("a name YAML reads as true", cand("yes"))
    # the bytes
    t["empty"] = ("an empty file", b"")
    t["blank"] = ("only blank lines", b"\n\n   \n")
    t["comments"] = ("only comments", b"# nothing here\n# at all\n")
    t["noise"] = ("binary noise", bytes((i * 7919 + 13) % 256 for i in range(8192)))
    t["nul"] = ("NUL bytes", b"\x00" * 512)
    t["utf16-le"] = ("UTF-16 with a byte order mark", VALID.encode("utf-16"))
    t["utf16-be"] = ("UTF-16 big-endian", b"\xfe\xff" + VALID.encode("utf-16-be"))
    t["utf16-no-bom"] = ("UTF-16 without a mark", VALID.encode("utf-16-le"))
    t["utf32"] = ("UTF-32", VALID.encode("utf-32"))
    t["latin1"] = ("Latin-1, not UTF-8", cand("Siân Evans").encode("latin-1"))
    t["overlong-utf8"] = ("an overlong UTF-8 sequence", HEAD.encode() + b"candidates: [Ann, B\xc0\xafob]\n")
    t["surrogate-utf8"] = ("an encoded surrogate", HEAD.encode() + b"candidates: [Ann, B\xed\xa0\x80ob]\n")
    t["truncated-half"] = ("cut in half", VALID[: len(VALID) // 2])
    t["truncated-quote"] = ("cut inside a quoted name", HEAD + 'candidates: [Ann, "Bob Jo')
    t["truncated-utf8"] = ("cut inside a character", (HEAD + "candidates: [Siân").encode()[:-1])
    # text that acts on a terminal or deceives a reader
    t["esc-raw"] = ("a raw escape sequence", cand("Bob\x1b[31m Jones"))
    t["esc-yaml"] = ("an escape written as \\e", cand('"Bob\\e[2J Jones"'))
    t["csi-title"] = ("clear-screen in the title", VALID.replace("title: Hostile test", 'title: "x\\e[2J\\e[H"'))
    t["osc-title"] = ("a terminal title sequence", VALID.replace("title: Hostile test", 'title: "x\\e]0;pwn\\a"'))
    t["bidi-raw"] = ("a right-to-left override", cand("Bob\u202eseno\u202c Jones"))
    t["bidi-escape"] = ("U+202E written as \\u202e", cand('"Bob\\u202e Jones"'))
    t["bidi-isolate"] = ("a bidi isolate", VALID.replace("title: Hostile test", "tellers: [\"T\\u2066x\"]\ntitle: x"))
    t["bidi-officer"] = ("an override in the officer's name",
                         VALID.replace("title: Hostile test", 'title: x\nreturning_officer: "Jane\\u202d Smith"'))
    t["zwsp-name"] = ("a zero-width space", cand("Bob\u200b Jones"))
    t["zwj-channel"] = ("a zero-width joiner in a channel",
                        VALID + 'channels:\n  - {name: "in\\u200droom", issued: 5, returned: 5}\n')
    t["bom-in-name"] = ("a byte order mark inside a name", cand("Bob\ufeffJones"))
    t["line-separator"] = ("U+2028 in a name", cand('"Bob\\u2028Jones"'))
    t["newline-name"] = ("a newline forging an output line", cand('"Bob\\ncertificate: OK"'))
    t["nel-raw"] = ("a raw C1 next-line", cand("Bob\u0085Jones"))
    t["csi-c1-raw"] = ("a raw C1 CSI", cand("Bob\u009b2JJones"))
    t["del-raw"] = ("a raw DEL", cand("Bob\x7fJones"))
    t["tab-in-name"] = ("a tab inside a name", cand('"Bob\\tJones"'))
    t["cyrillic-twin"] = ("Cyrillic A for A", HEAD + "candidates: [Ann Smith, \u0410nn Smith]\n")
    t["greek-twin"] = ("Greek omicron for o", HEAD + "candidates: [Bob Jones, B\u03bfb Jones]\n")
    t["fullwidth-twin"] = ("full-width letters (NFKC)", HEAD + "candidates: [Ann Smith, \uff21nn Smith]\n")
    t["case-twin"] = ("a name in capitals", HEAD + "candidates: [Ann Smith, ANN SMITH]\n")
    t["spacing-twin"] = ("a name with other spacing", HEAD + 'candidates: [Ann Smith, "Ann  Smith"]\n')
    t["exact-twin"] = ("a name twice", HEAD + "candidates: [Ann Smith, Ann Smith]\n")
    t["teller-twin"] = ("look-alike tellers", VALID + "tellers: [Bob Teller, B\u043eb Teller]\n")
    t["channel-twin"] = ("look-alike channels", VALID + "channels: [{name: postal, issued: 5, returned: 5}, "
                         "{name: p\u043estal, issued: 0}]\n")
    t["heading-twin"] = ("look-alike rejection headings", VALID + "rejection_headings: [late, L\u0430te]\n")
    t["unit-twin"] = ("look-alike units", TRIGGER.format(units="North, N\u043erth"))
    t["unit-bidi"] = ("an override in a unit", TRIGGER.format(units='"North\\u202e"'))
    t["motion-esc"] = ("an escape in a motion", MOTION.replace("text: Motion", 'text: "M\\e[8m"').format(n=1))
    t["long-name"] = ("a 600-character name", cand("B" * 600))
    t["huge-name"] = ("a 100,000-character name", cand("B" * 100_000))
    # figures that would hang or overflow a count
    t["count-100m"] = ("count: 100,000,000 in 165 bytes", HEAD + "candidates: [Ann, Bob]\nballots:\n"
                       "  - {ranking: [Ann, Bob], count: 100000000}\n")
    t["count-1e24"] = ("count: 10**24", VALID.replace("count: 3", "count: " + "1" + "0" * 24))
    t["count-5000-digits"] = ("a 5,000-digit count", VALID.replace("count: 3", "count: " + "9" * 5000))
    t["count-negative"] = ("a negative count", VALID.replace("count: 3", "count: -3"))
    t["count-zero"] = ("count: 0", VALID.replace("count: 3", "count: 0"))
    t["count-arabic"] = ("Arabic-Indic digits", VALID.replace("count: 3", "count: \u0663"))
    t["count-devanagari"] = ("Devanagari digits", VALID.replace("count: 3", "count: \u0969\u0966"))
    t["count-fullwidth"] = ("full-width digits", VALID.replace("count: 3", "count: \uff13"))
    t["count-inf"] = ("an infinite count", VALID.replace("count: 3", "count: 1e309"))
    t["count-nan"] = ("a NaN count", VALID.replace("count: 3", "count: .nan"))
    t["count-hex"] = ("a hex count past int64", VALID.replace("count: 3", "count: 0x7fffffffffffffffff"))
    t["count-underscores"] = ("a count with underscores", VALID.replace("count: 3", "count: 1_000_000_000_000"))
    t["count-sexagesimal"] = ("a base-60 count", VALID.replace("count: 3", "count: 190:20:30:15:10"))
    t["count-text"] = ("a count in quotes", VALID.replace("count: 3", 'count: "3"'))
    t["count-total"] = ("counts adding past the bound", HEAD + CANDIDATES + "ballots:\n" +
                       "".join("  - {ranking: [Ann Smith], count: 9000000}\n" for _ in range(3)))
    t["seats-million"] = ("a million places", VALID.replace("seats: 1", "seats: 1000000"))
    t["seats-digits"] = ("places with 5,000 digits", VALID.replace("seats: 1", "seats: " + "9" * 5000))
    t["issued-1e24"] = ("10**24 papers issued", VALID + "channels: [{name: box, issued: " + "1" + "0" * 24 + "}]\n")
    t["returned-huge"] = ("returned past the bound", VALID + "channels: [{name: box, issued: 5, returned: "
                          "99999999999}]\n")
    t["rejected-huge"] = ("rejected past the bound", VALID + "rejected: {unmarked: 99999999999}\n")
    t["motion-huge"] = ("a motion's votes past the bound", MOTION.format(n=10**15))
    t["rounds-huge"] = ("a round's votes past the bound", "format: opensel-contest/1\ntitle: T\n"
                        "method: {rule: exhaustive}\ncandidates: [A, B]\nrounds:\n  - votes: {A: 99999999999, B: 1}\n")
    t["rounds-arabic"] = ("a round's votes in Arabic-Indic digits", "format: opensel-contest/1\ntitle: T\n"
                          "method: {rule: exhaustive}\ncandidates: [A, B]\nrounds:\n  - votes: {A: \u0661, B: 1}\n")
    t["trigger-huge"] = ("a unit's votes past the bound", TRIGGER.format(
        units="{name: North, decision: yes, for: 99999999999}"))
    t["candidate-number-huge"] = ("a candidate number past int64", VALID.replace(
        "[Cat Lee]", "[" + "9" * 25 + "]"))
    t["candidate-number-digits"] = ("a 5,000-digit candidate number", VALID.replace("[Cat Lee]", "[" + "7" * 5000 + "]"))
    t["too-many-candidates"] = ("1,001 candidates", HEAD + "candidates: [" + ", ".join(
        f"C{i}" for i in range(1001)) + "]\n")
    t["bad-date"] = ("a date that is no date", VALID + "date: 2026-13-45\n")
    t["key-digits"] = ("a 5,000-digit key", VALID + "9" * 5000 + ": x\n")
    out: dict[str, tuple[str, bytes]] = {}
    for name, (what, data) in t.items():
        out[name] = (what, data if isinstance(data, bytes) else data.encode("utf-8"))
    return out


def csv_inputs() -> dict[str, tuple[str, bytes]]:
    t: dict[str, tuple[str, str | bytes]] = {
        "formula-rank": ("a formula for a rank", CSV_HEAD + "=1+1,,\n"),
        "at-rank": ("an @ formula for a rank", CSV_HEAD + "@SUM(A1),,\n"),
        "plus-rank": ("+1 for a rank", CSV_HEAD + "+1,,\n"),
        "minus-rank": ("-1 for a rank", CSV_HEAD + "-1,,\n"),
        "dde-rank": ("a DDE payload for a rank", CSV_HEAD + "\"=cmd|' /C calc'!A0\",,\n"),
        "esc-rank": ("an escape sequence for a rank", CSV_HEAD + "\x1b[2J,,\n"),
        "esc-header": ("an escape sequence in a name", "Ann Smith,Bob\x1b[31m Jones,Cat Lee\n1,,\n"),
        "bidi-header": ("an override in a name", "Ann Smith,Bob\u202e Jones,Cat Lee\n1,,\n"),
        "zwsp-header": ("a zero-width space in a name", "Ann Smith,Bob\u200bJones,Cat Lee\n1,,\n"),
        "cyrillic-header": ("look-alike names", "Ann Smith,\u0410nn Smith,Cat Lee\n1,,\n"),
        "case-header": ("names differing in case", "Ann Smith,ANN SMITH,Cat Lee\n1,,\n"),
        "arabic-rank": ("a rank in Arabic-Indic digits", CSV_HEAD + "\u0661,,\n"),
        "fullwidth-rank": ("a rank in full-width digits", CSV_HEAD + "\uff11,,\n"),
        "long-rank": ("a 5,000-digit rank", CSV_HEAD + "9" * 5000 + ",,\n"),
        "nul-late": ("a NUL byte after 64 KB", CSV_HEAD + "1,2,3\n" * 12_000 + "\x00,,\n"),
        "binary": ("binary noise", bytes((i * 7919 + 13) % 256 for i in range(8192))),
        "utf16": ("UTF-16", (CSV_HEAD + "1,,\n").encode("utf-16")),
        "latin1": ("Latin-1, not UTF-8", "Siân Evans,Bob\n1,\n".encode("latin-1")),
        "empty": ("an empty file", b""),
        "no-name": ("a header with a blank name", "Ann Smith,,Cat Lee\n1,,\n"),
        "mark-header": ("a mark for a name", "Ann Smith,2,Cat Lee\n1,,\n"),
        "ragged": ("a row too short", CSV_HEAD + "1,2\n"),
        "mixed": ("ranks and X on one file", CSV_HEAD + "1,X,\n"),
        "unclosed-quote": ("an unclosed quote", "\"Ann Smith,Bob Jones,Cat Lee\n1,,\n"),
        "too-many-candidates": ("1,001 names", ",".join(f"C{i}" for i in range(1001)) + "\n1" + "," * 1000 + "\n"),
    }
    return {k: (w, d if isinstance(d, bytes) else d.encode("utf-8")) for k, (w, d) in t.items()}


def build(root: Path) -> list[Hostile]:
    """Write the corpus into `root`; returns every input (files, and names that are not files)."""
    root.mkdir(parents=True, exist_ok=True)
    out: list[Hostile] = []
    for ext, inputs in (("yaml", yaml_inputs()), ("csv", csv_inputs())):
        for name, (what, data) in inputs.items():
            path = root / f"{name}.{ext}"
            path.write_bytes(data)
            out.append(Hostile(path, what))
    for ext in ("yaml", "csv"):
        big = root / f"over-the-limit.{ext}"
        with open(big, "wb") as f:  # sparse: the size says too large before a byte is read
            f.truncate(600_000_001 if ext == "csv" else 64_000_001)
        out.append(Hostile(big, "a file over the size limit"))
        pipe = root / f"pipe.{ext}"
        os.mkfifo(pipe)
        out.append(Hostile(pipe, "a pipe (would block a reader for ever)"))
        if Path("/dev/zero").exists():
            (root / f"zero.{ext}").symlink_to("/dev/zero")
            out.append(Hostile(root / f"zero.{ext}", "an endless device"))
        (root / f"folder.{ext}").mkdir()
        out.append(Hostile(root / f"folder.{ext}", "a folder"))
        (root / f"loop.{ext}").symlink_to(f"loop.{ext}")
        out.append(Hostile(root / f"loop.{ext}", "a symbolic link to itself"))
        out.append(Hostile(root / f"missing.{ext}", "a missing file"))
    return out
