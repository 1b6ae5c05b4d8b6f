"""Fixed-point helpers: every count value is an int scaled by 10**places. Never floats."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: a count that only formats figures never needs them
    from decimal import Decimal


def scale(places: int) -> int:
    return int(10**places)


def fmt(value: int, places: int) -> str:
    """Format a scaled integer as a fixed-point decimal string with exactly `places` decimals."""
    if places == 0:
        return str(value)
    sign = "-" if value < 0 else ""
    q, r = divmod(abs(value), 10**places)
    return f"{sign}{q}.{r:0{places}d}"


def to_decimal(value: int, places: int) -> Decimal:
    from decimal import Decimal

    return Decimal(fmt(value, places))


def floor_div(a: int, b: int) -> int:
    return a // b


def ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def parse_fixed(text: str, places: int) -> int:
    """Parse a decimal string into a scaled int, exactly (raises ValueError if more precise)."""
    from decimal import Decimal
    from fractions import Fraction

    f = Fraction(Decimal(text)) * 10**places
    if f.denominator != 1:
        raise ValueError(f"{text} has more than {places} decimal places")
    return int(f)
