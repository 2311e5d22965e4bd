"""Limits on what any input may carry (SPEC section 8), one place for every path that takes it."""

# Narratives (形象进度 `progress`, 存在问题 descriptions, measures, notes): the model, the API, the
# import, the admin and the pages all enforce this one number.
NARRATIVE_MAX_LENGTH = 2000
