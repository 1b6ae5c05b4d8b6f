"""Names people give (candidates, tellers, officers, units, channels): what is refused and how two
names are compared.

A name is printed on a ballot form, a result sheet and a terminal, so it must be plain text:

- no control characters (C0, C1, DEL), which move a terminal's cursor or forge a line of output;
- no invisible formatting characters (Unicode category Cf: bidirectional overrides and isolates
  such as U+202E, zero-width spaces and joiners, the byte order mark), which make a name display
  differently from what it is, or two different names display the same;
- no line or paragraph separators.

Two names are the same candidate when their *skeletons* are equal: NFKC normalised, case folded,
whitespace collapsed, and letters that look alike in other scripts (Cyrillic "а", Greek "ο") read
as their Latin twins. "Ann Smith" and "Аnn Smith" (Cyrillic A) are refused as a pair, as are names
differing only by a zero-width space (that one is refused on its own already). Accents are kept:
"Siân" and "Sian" are different names.
"""

from __future__ import annotations

import unicodedata

# Letters of other scripts that are drawn like a Latin letter in common fonts (a short list on purpose:
# the letters that occur in real confusion attacks on names, upper and lower case).
_HOMOGLYPHS = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q",
    "ԝ": "w", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w",
    # digits and signs read as letters
    "0": "o", "1": "l", "|": "l",
})

MAX_NAME = 500


def bad_character(text: str) -> tuple[int, str] | None:
    """(index, description) of the first character a name may not hold, or None when it is clean."""
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if cat == "Cc" or ch in "\u2028\u2029":
            return i, f"a control character (U+{ord(ch):04X})"
        if cat == "Cf":
            return i, f"an invisible formatting character (U+{ord(ch):04X}, {_char_name(ch)})"
        if cat in ("Cs", "Co", "Cn"):
            return i, f"a character that is not text (U+{ord(ch):04X})"
    return None


def name_problem(text: str, what: str = "name", limit: int = MAX_NAME) -> str | None:
    """One sentence saying why `text` cannot be a name, or None. The caller adds the place (file, line).
    `limit`: the longest text allowed (a free-text note such as an explanation may be longer than a name)."""
    bad = bad_character(text)
    if bad is not None:
        index, description = bad
        return (f"the {what} contains {description} at character {index + 1}; names must be plain text, "
                "so retype it")
    if len(text) > limit:
        return f"the {what} is longer than {limit} characters"
    return None


def skeleton(text: str) -> str:
    """The form two names are compared in (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(folded.translate(_HOMOGLYPHS).split())


def confusable_pair(names: list[str] | tuple[str, ...]) -> tuple[int, int] | None:
    """Indices (i, j), i < j, of the first two names with equal skeletons, or None."""
    seen: dict[str, int] = {}
    for j, name in enumerate(names):
        key = skeleton(name)
        if key in seen:
            return seen[key], j
        seen[key] = j
    return None


def printable(text: str, keep_newlines: bool = False) -> str:
    """`text` safe to print on a terminal or in a one-line message: every character a name may not hold is
    shown as a visible escape (\\u202e), so nothing reaches the terminal raw. `keep_newlines`: a message
    of several lines keeps its line breaks (each line is still cleaned)."""
    if bad_character(text.replace("\n", " ") if keep_newlines else text) is None:
        return text
    out = []
    for ch in text:
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


def quoted(value: object, limit: int = 60) -> str:
    """A value someone wrote, quoted for a one-line message ('Ann Smith'): text longer than `limit` is cut
    (a 100,000-character name is not repeated whole), and nothing in it reaches a terminal raw."""
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit] + "…"
    return printable(repr(value))


def _char_name(ch: str) -> str:
    return unicodedata.name(ch, "unnamed").lower()
