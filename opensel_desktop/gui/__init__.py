"""The Qt face. The only package that imports Qt."""

import ctypes
import sys

# PySide6 6.12 on CPython 3.11 loses references to the singletons None, True and False: every call of
# a void method (QLabel.setText ...) or an invalid QVariant reaching Python drops one from None, and
# every Signal.emit() one from True or False. CPython aborts when such a count reaches zero
# ("none_dealloc" / "bool_dealloc"), which an evening of keying reaches within a few thousand
# keystrokes. A guard list would only move the abort to interpreter exit, so the counts get spare
# references that are never given back. From CPython 3.12 these objects are immortal and this is
# skipped. tests/gui/test_none_guard.py shows the problem and the guard.
if sys.version_info < (3, 12):
    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
