"""Excel: the bureau's progress workbook, the fill-in templates and the all-or-nothing imports (SPEC section 7)."""
