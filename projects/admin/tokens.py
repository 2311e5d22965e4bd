"""API tokens in the admin: who holds one and until when, and a way to revoke it. Never the token.

django-rest-knox stores only a hash of each token; its own admin lists that hash and, on "add",
prints a new token in clear in a message. This admin shows no secret at all and creates none
(tokens come from POST /api/auth/token/); the bureau may only revoke.
"""

from django.contrib import admin
from knox.models import AuthToken

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created", "expiry"]
    list_filter = ["expiry"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "created", "expiry"]
    readonly_fields = ["user", "created", "expiry"]
    ordering = ["-created"]
    actions = ["delete_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
