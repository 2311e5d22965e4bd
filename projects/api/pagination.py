"""Page-number pagination with `count`, `next`, `previous`, `results` (SPEC section 6)."""

from rest_framework.pagination import PageNumberPagination


class RegistryPagination(PageNumberPagination):
    """50 rows a page by default; a client may ask for up to 1,000 with `page_size`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
