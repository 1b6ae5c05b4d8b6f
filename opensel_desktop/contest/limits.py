"""Bounds on the figures a contest may hold, checked before anything is summed or expanded.

Real meetings are far below them; they exist so that a crafted file (a bundle of 10^24 votes, a
`count:` of a hundred million papers in a 165-byte file) is refused in one sentence instead of
overflowing a total, exhausting memory or keeping the machine busy for an hour. Every total the
engine adds stays below 2^63 with these bounds (MAX_PAPERS x MAX_WEIGHT < 2^63).
"""

MAX_PAPERS = 50_000_000  # papers in one contest (every channel, every batch, every import)
MAX_WEIGHT = 10**9  # the multiplicity of one ballot row in a ballot file
MAX_BUNDLE_PAPERS = 1_000_000  # papers (or votes for one candidate) in one bundle of X-votes
MAX_CANDIDATES = 1000
