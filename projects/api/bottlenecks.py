"""Problem-loop endpoints under a bottleneck (SPEC section 11): progress notes and leader instructions.

`GET/POST /api/bottlenecks/{id}/updates/` (the unit's staff and the bureau write) and
`GET/POST /api/bottlenecks/{id}/instructions/` (leaders write: their one write). Reading follows
`restrict(user, "view")`; every write goes through `projects.services.bottlenecks`.
"""

from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission

from projects.limits import NARRATIVE_MAX_LENGTH
from projects.models import Bottleneck, BottleneckInstruction, BottleneckUpdate
from projects.querysets import VIEW, user_role
from projects.services.bottlenecks import bottleneck_instruct, bottleneck_note_add


class HasRole(BasePermission):
    """Signed in with a role; what each role may write is the service's rule."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and user_role(request.user))


class BottleneckUpdateSerializer(serializers.ModelSerializer):
    text = serializers.CharField(max_length=NARRATIVE_MAX_LENGTH)
    user = serializers.CharField(source="user.username", read_only=True, allow_null=True)

    class Meta:
        model = BottleneckUpdate
        fields = ["id", "text", "created_at", "user"]
        read_only_fields = ["created_at"]


class BottleneckInstructionSerializer(BottleneckUpdateSerializer):
    leader = serializers.PrimaryKeyRelatedField(read_only=True)
    leader_name = serializers.CharField(source="leader.name", read_only=True, allow_null=True)

    class Meta:
        model = BottleneckInstruction
        fields = ["id", "text", "created_at", "user", "leader", "leader_name"]
        read_only_fields = ["created_at"]


class BottleneckChildList(generics.ListCreateAPIView):
    """The notes or instructions of one bottleneck, oldest first (one query for the page)."""

    permission_classes = [HasRole]
    parser_classes = [JSONParser]
    model: type
    service = None

    def bottleneck(self) -> Bottleneck:
        if not hasattr(self, "_bottleneck"):
            visible = Bottleneck.objects.restrict(self.request.user, VIEW)
            self._bottleneck = get_object_or_404(visible.select_related("project"), pk=self.kwargs["pk"])
        return self._bottleneck

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no bottleneck to look up
            return self.model.objects.none()
        return (
            self.model.objects.filter(bottleneck=self.bottleneck())
            .select_related(*self.related)
            .order_by("created_at", "pk")
        )

    def perform_create(self, serializer):
        serializer.instance = type(self).service(
            user=self.request.user, bottleneck=self.bottleneck(), text=serializer.validated_data["text"]
        )


class BottleneckUpdateList(BottleneckChildList):
    """Progress notes (`text`, `created_at`, `user`); staff of the project's unit and the bureau write."""

    model = BottleneckUpdate
    related = ("user",)
    serializer_class = BottleneckUpdateSerializer
    service = bottleneck_note_add


class BottleneckInstructionList(BottleneckChildList):
    """Leader instructions (批示, `text`); only county leaders write them."""

    model = BottleneckInstruction
    related = ("user", "leader")
    serializer_class = BottleneckInstructionSerializer
    service = bottleneck_instruct
