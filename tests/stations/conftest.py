"""The shared meeting of tests/stations (built once; see station_helpers.py)."""

from station_helpers import meeting  # noqa: F401  (a session-scoped fixture)
