"""Limits on what any input may carry (SPEC section 8), one place for every path that takes it."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator

# Narratives (形象进度 `progress`, 存在问题 descriptions, measures, notes): the model, the API, the
# import, the admin and the pages all enforce this one number.
NARRATIVE_MAX_LENGTH = 2000

# Why a figure was changed or deleted (kept in its history): a sentence, not a report. What one
# field takes (API, forms); the entry page may join a sheet's and a row's reason, so the services
# store up to NARRATIVE_MAX_LENGTH.
CHANGE_REASON_MAX_LENGTH = 500

# Request bodies other than file uploads (JSON, forms) are limited by the setting
# DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB; env REQUEST_MAX_BYTES): larger is 413.

# Nesting of a JSON body: the registry's own documents are two levels deep; deeper is 400.
JSON_MAX_DEPTH = 32


def narrative_validators() -> list:
    """The validators a narrative field's model declares, so that full_clean enforces the limit."""
    return [MaxLengthValidator(NARRATIVE_MAX_LENGTH)]


def clean_change_reason(value: str | None, *, max_length: int = NARRATIVE_MAX_LENGTH) -> str:
    """The reason as it will be stored, or a ValidationError naming `change_reason`.

    Every write service calls this, so a NUL (which PostgreSQL cannot store) or an essay is a
    400 on every path (API body or query string, pages, import, admin), never a database error.
    """
    value = value or ""
    if "\x00" not in value and len(value) <= max_length:
        return value  # the usual case, once per row of an import: no validator objects
    try:
        ProhibitNullCharactersValidator()(value)
        MaxLengthValidator(max_length)(value)
    except ValidationError as exc:
        raise ValidationError({"change_reason": exc.messages}) from exc
    return value


# Uploaded workbooks (.xlsx imports): refused by what reading them would cost, checked before any
# cell is read (projects/reports/xlsx_values.py). A legal 20,000-row template is far inside each.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024  # the file as uploaded
UPLOAD_MAX_LABEL = "5 MB"
WORKBOOK_MAX_PARTS = 1000  # files inside the .xlsx (a zip)
WORKBOOK_MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024  # all parts together, unpacked
WORKBOOK_MAX_SHARED_STRINGS = 200_000  # distinct texts in the shared-string table
WORKBOOK_MAX_TEXT_CHARS = 8_000_000  # characters of shared text the cells refer to, counted once per cell
SHEET_MAX_ROWS = 25_000  # the highest row number holding a value
SHEET_MAX_COLUMNS = 50  # the highest column holding a value (AX)
CELL_MAX_CHARS = 32_767  # characters in one cell, Excel's own limit
IMPORT_MAX_DATA_ROWS = 20_000  # filled rows one import takes
