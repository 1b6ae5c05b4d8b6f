"""First past the post: one place, one X-vote per paper; the highest total is elected.

Sources: Representation of the People Act 1983 Sch.1 r.49 (equality of votes: decided
by lot, the winner treated as having one more vote). A ranked BLT paper is read as an X-vote for its
first preference among the candidates standing (as the command line documents for a .blt). Everything else
(stages, ties, the lot stage) is the block vote's with n = 1: see rules/block.py.

Version history: fptp-2026.1 = first implementation.
"""

from __future__ import annotations

from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules.block import XVoteCount, check_single_place
from opensel_desktop.engine.ties import TieSource

RULE = "fptp"
VERSION = "fptp-2026.1"
TITLE = "First past the post (one place, one X-vote)"


class FptpCount(XVoteCount):
    rule = RULE
    version = VERSION

    def __init__(self, election: Election, ties: TieSource | None):
        check_single_place(election, "First past the post")
        super().__init__(election, ties)


def count(election: Election, ties: TieSource | None) -> Result:
    return FptpCount(election, ties).run()
