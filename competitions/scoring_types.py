"""
What the contest scoring modules share: the error they raise and the rounding they use.

Scores are Decimals throughout. Intermediate results keep full Decimal precision; a
score is rounded once, at the end, to two decimals with ROUND_HALF_UP (四舍五入), so the
same raw marks always give the same published score.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0")


class InvalidScoring(ValueError):
    """Input that the scoring rules cannot accept: a mark out of range, an unknown item …"""


def to_decimal(value):
    """Return `value` as a Decimal; floats go through str() so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise InvalidScoring(_("Not a number: %(value)r") % {"value": value})
    elif isinstance(value, float):
        result = Decimal(str(value))
    else:
        try:
            result = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            raise InvalidScoring(_("Not a number: %(value)r") % {"value": value}) from None
    if not result.is_finite():
        raise InvalidScoring(_("Not a finite number: %(value)r") % {"value": value})
    return result


def round_score(value, places=CENT):
    """Round a score half up (四舍五入) to two decimals, or to `places`."""
    return to_decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def round_count(value):
    """Round a (Decimal) quantity half up to a whole number, e.g. 10% of 25 entrants → 3."""
    return int(to_decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def mean(values):
    """Return the exact Decimal mean of a non-empty sequence of Decimals (not rounded)."""
    values = list(values)
    return sum(values, ZERO) / len(values)
