"""Reading one cell as the value its column needs: amounts, whole numbers, dates, texts, choices.

Amounts follow SPEC section 7: a number cell, at most two decimals once floating-point noise
below 10⁻⁶ is rounded away, never negative; text in a number cell is an error, never a guess.
"""

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..limits import NARRATIVE_MAX_LENGTH
from . import headers as H

CENT = Decimal("0.01")
NOISE = Decimal("0.000001")  # floating-point noise below 10⁻⁶ is rounded away (SPEC section 7)
MAX_AMOUNT = Decimal("999999999999.99")  # the model's 14 digits, two of them decimals


class CellError(ValueError):
    """A cell that cannot be read as the value its column needs; the message says why."""


def normalize_header(value) -> str:
    """A header or choice as compared: no blanks or line breaks, full-width brackets made ASCII."""
    text = re.sub(r"\s+", "", str(value or ""))
    return text.replace("（", "(").replace("）", ")")


# --- cells --------------------------------------------------------------------------------------


NOT_A_NUMBER = (bool, dt.date, dt.datetime, dt.time, dt.timedelta)  # what a spreadsheet may hold besides numbers


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_amount(value) -> Decimal | None:
    """An amount in 万元: a number cell, at most two decimals, not negative; blank is None."""
    if is_blank(value):
        return None
    if isinstance(value, NOT_A_NUMBER):
        raise CellError(_("This cell must hold a number, not a date or true/false."))
    if isinstance(value, str):
        raise CellError(_text_in_number_message(value))
    if isinstance(value, float) and not math.isfinite(value):
        raise CellError(_("This cell must hold a number."))
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    rounded = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(exact - rounded) >= NOISE:
        raise CellError(_("At most two decimal places (10k yuan): %(value)s.") % {"value": exact.normalize()})
    if rounded < 0:
        raise CellError(_("Amounts cannot be negative: %(value)s.") % {"value": rounded})
    if rounded > MAX_AMOUNT:
        raise CellError(_("The amount %(value)s is too large.") % {"value": rounded})
    return rounded


def _text_in_number_message(value: str) -> str:
    text = value.strip()
    try:
        Decimal(text.replace(",", ""))
        numeric = True
    except InvalidOperation:
        numeric = False
    if numeric:
        return _('"%(text)s" is stored as text: format the cell as a number and type it again.') % {"text": text}
    return _('"%(text)s" is text, not a number.') % {"text": text[:30]}


def parse_int(value, *, low: int, high: int, message: str) -> int | None:
    """A whole number between low and high from a number cell; blank is None."""
    if is_blank(value):
        return None
    if isinstance(value, NOT_A_NUMBER):
        raise CellError(message)
    if isinstance(value, str):
        raise CellError(_text_in_number_message(value))
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value - round(value)) >= 1e-6:
            raise CellError(message)
        value = round(value)
    if not low <= value <= high:
        raise CellError(message)
    return int(value)


def parse_text(value) -> str:
    """A text cell, trimmed; a whole number typed into a code column reads as its digits. No NUL characters."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if "\x00" in text:
        raise CellError(_("This cell contains a NUL character (\\x00), which cannot be stored: delete it."))
    return text


def parse_narrative(value) -> str:
    """A narrative (形象进度, 存在问题): a text of at most NARRATIVE_MAX_LENGTH characters."""
    text = parse_text(value)
    if len(text) > NARRATIVE_MAX_LENGTH:
        raise CellError(
            _("At most %(limit)s characters (this text has %(n)s).")
            % {"limit": f"{NARRATIVE_MAX_LENGTH:,}", "n": f"{len(text):,}"}
        )
    return text


def parse_date(value) -> dt.date | None:
    """A date cell, or text as 2026-03-01, 2026/3/1 or 2026年3月1日; blank is None."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", str(value).strip())
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(_('"%(text)s" is not a date such as 2026-03-01.') % {"text": str(value)[:30]})


class ChoiceReader:
    """Reads a choice column by code or label (any case, with or without blanks); blank is None."""

    def __init__(self, choices):
        self.lookup = H.choice_lookup(choices)
        self.labels = H.zh_labels(choices)

    def __call__(self, value) -> str | None:
        if is_blank(value):
            return None
        code = self.lookup.get(normalize_header(value).lower())
        if code is None:
            raise CellError(
                _('Unknown value "%(text)s"; use one of: %(choices)s.')
                % {"text": str(value)[:30], "choices": self.labels}
            )
        return code
