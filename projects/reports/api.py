"""`POST /api/import/actuals/` and `POST /api/import/annual-list/` (SPEC section 7).

Contract: multipart form with the filled workbook as `file` and an optional `change_reason`
(required when the bureau changes a locked month). 200 `{"created": n, "updated": n}` (rows
whose values did not change count in neither; a "warnings" list is added only when there are
warnings); 400 `{"errors": [{"row", "column", "message"}]}` where `row` is the spreadsheet's
own row number (null for the whole file) and `column` the header name; nothing is saved then.
401 without credentials; 403 for a role that may not import at all (leaders; staff for the list).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..api.schema import ErrorSerializer
from .importers import Issue, oversize_issue
from .imports import actuals_import_check, import_actuals, import_annual_list, list_import_check


class ImportIssueSerializer(serializers.Serializer):
    """One bad (or doubtful) cell: the spreadsheet's row (null for the whole file), the header, the reason."""

    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    change_reason = serializers.CharField(required=False)


class ImportCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    warnings = ImportIssueSerializer(many=True, required=False)


class ImportErrorsSerializer(serializers.Serializer):
    errors = ImportIssueSerializer(many=True)
    warnings = ImportIssueSerializer(many=True, required=False)


class ImportView(APIView):
    """An import endpoint: `check` refuses a role outright (403), `importer` reads and writes the file."""

    parser_classes = [MultiPartParser, FormParser]
    check = None
    importer = None

    def post(self, request):
        self.check(request.user)
        issue = oversize_issue(request.META.get("CONTENT_LENGTH"))
        upload = None if issue else request.FILES.get("file")
        if issue is None and upload is None:
            issue = Issue(None, None, _('Attach the filled workbook (.xlsx) as the form field "file".'))
        if issue is not None:
            return Response({"errors": [issue.as_dict()]}, status=400)
        result = self.importer(user=request.user, upload=upload, change_reason=request.data.get("change_reason", ""))
        return Response(result.as_json(), status=200 if result.ok else 400)


def import_schema(description: str, refused: str = "The role may not import."):
    """The OpenAPI description of an import endpoint; `refused` says who gets the 403."""
    return extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportCountsSerializer,
            400: OpenApiResponse(ImportErrorsSerializer, description="Every bad row and column; nothing saved."),
            401: OpenApiResponse(description="Not logged in."),
            403: OpenApiResponse(description=refused),
            415: OpenApiResponse(ErrorSerializer, description="The body is not multipart/form-data."),
        },
        description=description,
    )


class ActualsImportView(ImportView):
    """Monthly figures from a filled template, all or nothing."""

    check = staticmethod(actuals_import_check)
    importer = staticmethod(import_actuals)

    @import_schema("Import a filled monthly actuals template (bureau: any project; staff: their unit's).")
    def post(self, request):
        return super().post(request)


class AnnualListImportView(ImportView):
    """The bureau's annual list: projects by code and their plan for the year, all or nothing."""

    check = staticmethod(list_import_check)
    importer = staticmethod(import_annual_list)

    @import_schema("Import the annual key-project list (bureau only).")
    def post(self, request):
        return super().post(request)
