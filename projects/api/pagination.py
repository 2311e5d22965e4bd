"""Page-number pagination with `count`, `next`, `previous`, `results` (SPEC section 6)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_SIZE_MESSAGE = _("Give a whole number of at least 1 (at most 1000 rows are returned).")


class RegistryPagination(PageNumberPagination):
    """50 rows a page by default; a client may ask for up to 1,000 with `page_size` (more is capped)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        """The requested page size; a value that is not a positive whole number is a 400, not ignored."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_MESSAGE]})
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(_("Rows per page: 50 unless given; at most 1000 are returned."))
        return parameters
