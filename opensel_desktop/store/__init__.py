"""The saved contest (.osel): one SQLite file holding the contest and a hash-chained journal. No Qt.

`osel` opens and creates files, `journal` appends and verifies events, `events` is the event value
type and its hash, `contest_json` turns a Contest into the canonical JSON kept in the first event.
"""
