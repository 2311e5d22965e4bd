"""Limits on what any input may carry (SPEC section 8), one place for every path that takes it."""

# Narratives (形象进度 `progress`, 存在问题 descriptions, measures, notes): the model, the API, the
# import, the admin and the pages all enforce this one number.
NARRATIVE_MAX_LENGTH = 2000

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
