"""Contest files the GUI tests share (a module of its own: several test folders have a conftest.py)."""

FOURTEEN = """\
format: opensel-contest/1
title: Regional list ranking
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: scottish, seats: 4}
candidates: [Łukasz Nowak, Siân Evans, Dafydd ap Gwŵr, Ann Hughes, Bob Jones, Priya Patel, Mohammed Ali,
             Nia Griffiths, Owain Glyn, Hannah Brooks, Ruth Okafor, Tom Baker, Eilidh MacLeod, Gwen Morgan]
channels:
  - {name: in-room, issued: 60, spoilt: 1, unused: 9}
"""
