"""REST API for the consultant's commentary and the 30/60/90-day roadmap (``/api/v1/``).

- ``campaigns/<id>/commentary/`` and ``campaigns/<id>/departments/<id>/commentary/``: GET the
  commentary as the caller may read it, PUT its two texts (writers: org admins, consultants).
- ``.../commentary/publish/``: POST publishes, DELETE takes it back to draft (writers).
- ``campaigns/<id>/roadmap/``: GET the open actions in the 30/60/90-day buckets
  (``?department=<id>`` for one department; a manager always gets their own).

A draft is not revealed: a manager who GETs a commentary that is only a draft gets the same
200 and empty state (``status`` ``none``) as for no commentary at all, as the page does.
Scoping is the pages' (``commentary_scope``): 404 outside the organisation or for a department
outside the campaign, 403 inside it without the right.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments.forms import LARGEST_ID
from assessments.templatetags.people import person
from config.api_schema import error_response

from .. import access
from .roadmap import roadmap
from .selectors import commentary_for, commentary_scope, rendered, roadmap_department
from .services import (
    FINDINGS_MAX_LENGTH,
    NARRATIVE_MAX_LENGTH,
    CommentaryError,
    publish_commentary,
    save_commentary,
    unpublish_commentary,
)

NOTHING_TO_PUBLISH = gettext_lazy(
    "There is no commentary yet, or it has neither a narrative nor key findings."
)


@extend_schema_serializer(component_name="CommentaryInput")
class CommentaryInput(serializers.Serializer):
    """Both texts, in Markdown, replacing the saved ones (either may be empty)."""

    narrative = serializers.CharField(
        allow_blank=True, max_length=NARRATIVE_MAX_LENGTH, trim_whitespace=False
    )
    findings = serializers.CharField(
        allow_blank=True, max_length=FINDINGS_MAX_LENGTH, trim_whitespace=False
    )


@extend_schema_serializer(component_name="CommentaryOutput")
class CommentaryOutput(serializers.Serializer):
    campaign = serializers.IntegerField()
    department = serializers.IntegerField(allow_null=True)  # null: the campaign-wide one
    status = serializers.CharField()  # none (nothing the caller may read), draft or published
    # As typed, in Markdown; render it sanitised (as the *_html fields are) before showing it.
    narrative = serializers.CharField(allow_blank=True)
    findings = serializers.CharField(allow_blank=True)
    narrative_html = serializers.CharField(allow_blank=True)
    findings_html = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_blank=True)


def _commentary(campaign, department, commentary) -> dict:
    html = rendered(commentary)
    return {
        "campaign": campaign.pk,
        "department": department.pk if department else None,
        "status": commentary.status if commentary else "none",
        "narrative": commentary.narrative if commentary else "",
        "findings": commentary.findings if commentary else "",
        "narrative_html": str(html["narrative_html"]),
        "findings_html": str(html["findings_html"]),
        "published_at": commentary.published_at if commentary else None,
        "updated_at": commentary.updated_at if commentary else None,
        "updated_by": person(commentary.updated_by) if commentary else "",
    }


class _Commentary(APIView):
    def _scope(self, request, pk, department_id):
        return commentary_scope(request.user, pk, department_id)

    def _get(self, request, pk, department_id=None):
        campaign, standing, department = self._scope(request, pk, department_id)
        commentary = commentary_for(campaign, department, standing=standing)
        return APIResponse(CommentaryOutput(_commentary(campaign, department, commentary)).data)

    def _put(self, request, pk, department_id=None):
        campaign, standing, department = self._scope(request, pk, department_id)
        if not access.writes_commentary(standing):
            raise PermissionDenied
        data = CommentaryInput(data=request.data)
        data.is_valid(raise_exception=True)
        commentary = save_commentary(
            campaign=campaign, department=department, by=request.user, **data.validated_data
        )
        commentary = commentary_for(campaign, department, standing=standing)
        return APIResponse(CommentaryOutput(_commentary(campaign, department, commentary)).data)

    def _publish(self, request, pk, department_id=None, *, publish: bool):
        campaign, standing, department = self._scope(request, pk, department_id)
        if not access.writes_commentary(standing):
            raise PermissionDenied
        commentary = commentary_for(campaign, department, standing=standing)
        if commentary is None:
            raise CommentaryError("nothing_to_publish", str(NOTHING_TO_PUBLISH), status=409)
        change = publish_commentary if publish else unpublish_commentary
        commentary = change(commentary=commentary, by=request.user)
        commentary = commentary_for(campaign, department, standing=standing)
        return APIResponse(CommentaryOutput(_commentary(campaign, department, commentary)).data)


class CommentaryView(_Commentary):
    """The campaign-wide commentary: GET as the caller may read it, PUT its texts (writers).
    A published commentary stays published with the new text; a new one is a draft."""

    @extend_schema(responses=CommentaryOutput)
    def get(self, request, pk: int):
        return self._get(request, pk)

    @extend_schema(request=CommentaryInput, responses=CommentaryOutput)
    def put(self, request, pk: int):
        return self._put(request, pk)


class DepartmentCommentaryView(_Commentary):
    """A department's commentary (its manager reads the published one)."""

    @extend_schema(responses=CommentaryOutput)
    def get(self, request, pk: int, department_id: int):
        return self._get(request, pk, department_id)

    @extend_schema(request=CommentaryInput, responses=CommentaryOutput)
    def put(self, request, pk: int, department_id: int):
        return self._put(request, pk, department_id)


PUBLISH = {200: CommentaryOutput, 409: error_response(NOTHING_TO_PUBLISH)}


class CommentaryPublishView(_Commentary):
    """POST publishes the campaign-wide commentary; DELETE takes it back to draft."""

    @extend_schema(request=None, responses=PUBLISH)
    def post(self, request, pk: int):
        return self._publish(request, pk, publish=True)

    @extend_schema(request=None, responses=PUBLISH)
    def delete(self, request, pk: int):
        return self._publish(request, pk, publish=False)


class DepartmentCommentaryPublishView(_Commentary):
    """POST publishes a department's commentary; DELETE takes it back to draft."""

    @extend_schema(request=None, responses=PUBLISH)
    def post(self, request, pk: int, department_id: int):
        return self._publish(request, pk, department_id, publish=True)

    @extend_schema(request=None, responses=PUBLISH)
    def delete(self, request, pk: int, department_id: int):
        return self._publish(request, pk, department_id, publish=False)


@extend_schema_serializer(component_name="RoadmapQuery")
class RoadmapQuery(serializers.Serializer):
    # One department's actions (a department of the campaign the caller may read).
    department = serializers.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)


class RoadmapItemOutput(serializers.Serializer):
    action = serializers.IntegerField(source="action_id")
    title = serializers.CharField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department")
    dimension = serializers.CharField(source="dimension_code")
    dimension_title = serializers.CharField(source="dimension")
    owner = serializers.CharField(allow_blank=True)  # the owner's name; "" for nobody
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()  # planned or in_progress
    overdue = serializers.BooleanField()


class RoadmapBucketOutput(serializers.Serializer):
    key = serializers.CharField()  # 30, 60, 90 or later
    label = serializers.CharField()
    items = RoadmapItemOutput(many=True)


class RoadmapOutput(serializers.Serializer):
    campaign = serializers.IntegerField()
    department = serializers.IntegerField(allow_null=True)
    today = serializers.DateField()
    buckets = RoadmapBucketOutput(many=True)


class RoadmapView(APIView):
    """The open actions by due date from today: within 30 days (overdue ones included,
    flagged), 31–60, 61–90, later or no date. Org admins and consultants get every
    department's, or ``?department=``'s; a manager their own department's."""

    @extend_schema(parameters=[RoadmapQuery], responses=RoadmapOutput)
    def get(self, request, pk: int):
        query = RoadmapQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        department_id = query.validated_data.get("department")
        campaign, standing, department = commentary_scope(request.user, pk, department_id)
        department = roadmap_department(standing, department)
        plan = roadmap(campaign, department)
        return APIResponse(
            RoadmapOutput(
                {
                    "campaign": campaign.pk,
                    "department": department.pk if department else None,
                    "today": plan.today,
                    "buckets": [
                        {"key": b.key, "label": b.label, "items": b.items} for b in plan.buckets
                    ],
                }
            ).data
        )
