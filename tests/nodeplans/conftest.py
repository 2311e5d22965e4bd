from ..api.conftest import anon, drc, leader, other_staff, staff, token_client  # noqa: F401
