"""REST API for milestones and comparisons (``/api/v1/``): a campaign's milestones (list,
take one), one milestone's frozen results, and the comparison of two sides. Scoped like
the pages: org admins and consultants every department, a manager of an assessed
department their own rows. A milestone is immutable: there is no PUT, PATCH or DELETE."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments.api import login_name
from assessments.forms import storable_text
from assessments.selectors import campaign_for
from assessments.templatetags.people import person
from config.api_schema import error_response
from improvement import access
from improvement.models import TITLE_MAX_LENGTH, Milestone
from results.api import ScaleOutput

from . import compare as comparing
from . import selectors
from .services import MilestoneError, take_milestone

DRAFT = gettext_lazy("The campaign has not opened yet: there are no results to freeze.")


class MilestoneFilter(django_filters.FilterSet):
    taken_on_from = django_filters.DateFilter(field_name="taken_on", lookup_expr="gte")
    taken_on_to = django_filters.DateFilter(field_name="taken_on", lookup_expr="lte")

    class Meta:
        model = Milestone
        fields = ["taken_on_from", "taken_on_to"]


class MilestoneOutput(serializers.ModelSerializer):
    """A milestone; the context's ``standing`` (the caller's) decides whether ``taken_by``
    carries the author's login name (org admins only)."""

    campaign = serializers.IntegerField(source="campaign_id")
    taken_by = serializers.SerializerMethodField()
    taken_by_name = serializers.SerializerMethodField()
    framework = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "campaign",
            "name",
            "taken_on",
            "taken_at",
            "taken_by",
            "taken_by_name",
            "framework",
        ]

    def get_taken_by(self, milestone) -> str | None:
        """The author's login name for an org admin; null for anybody else or no author."""
        return login_name(milestone.created_by, self.context.get("standing"))

    def get_taken_by_name(self, milestone) -> str:
        """The author's name as the pages write it (family name first); "" for none."""
        return person(milestone.created_by)

    def get_framework(self, milestone) -> str:
        framework = milestone.snapshot.get("framework", {})
        return f"{framework.get('slug', '')} v{framework.get('version', '')}"


class FrozenScoreOutput(serializers.Serializer):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    dimension = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    respondents = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True)


class FrozenOrganisationOutput(serializers.Serializer):
    dimension = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    respondents = serializers.IntegerField()


class FrozenDepartmentOutput(serializers.Serializer):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    # True below the anonymity threshold: the milestone holds no score of it.
    withheld = serializers.BooleanField()
    actions_done = serializers.ListField(child=serializers.IntegerField())
    modules_passed = serializers.IntegerField()
    assignments_completed = serializers.IntegerField()


class MilestoneDetailOutput(MilestoneOutput):
    scale = ScaleOutput()
    scores = FrozenScoreOutput(many=True)
    organisation = FrozenOrganisationOutput(many=True)
    departments = FrozenDepartmentOutput(many=True)

    class Meta(MilestoneOutput.Meta):
        fields = [*MilestoneOutput.Meta.fields, "scale", "scores", "organisation", "departments"]


def _detail(milestone: Milestone, standing) -> dict:
    department_id = _rows_of(standing)
    snapshot = milestone.snapshot
    codes = [d["code"] for d in snapshot["dimensions"]]
    departments = sorted(
        (
            (int(pk), entry)
            for pk, entry in snapshot["departments"].items()
            if department_id is None or int(pk) == department_id
        ),
        key=lambda item: (item[1]["name"], item[0]),
    )
    low, high = snapshot["scale"]
    return {
        **MilestoneOutput(milestone, context={"standing": standing}).data,
        "scale": {"min": low, "max": high},
        "scores": [
            {
                "department": pk,
                "department_name": entry["name"],
                "dimension": code,
                "mean": cell.get("mean"),
                "level": cell.get("level"),
                "respondents": cell.get("n", 0),
                "target": cell.get("target"),
            }
            for pk, entry in departments
            if not entry["withheld"]
            for code in codes
            for cell in [entry["dimensions"].get(code, {})]
        ],
        "organisation": [{"dimension": code, **_org(snapshot, code)} for code in codes],
        "departments": [
            {
                "department": pk,
                "department_name": entry["name"],
                "withheld": entry["withheld"],
                "actions_done": entry["actions_done"],
                "modules_passed": entry["modules_passed"],
                "assignments_completed": entry["assignments_completed"],
            }
            for pk, entry in departments
        ],
    }


def _org(snapshot: dict, code: str) -> dict:
    cell = snapshot["organisation"].get(code, {})
    return {"mean": cell.get("mean"), "level": cell.get("level"), "respondents": cell.get("n", 0)}


def _rows_of(standing) -> int | None:
    """The department whose rows the caller may read; None for all of them."""
    return None if standing.can_manage else standing.department_id


class MilestoneInput(serializers.Serializer):
    name = serializers.CharField(max_length=TITLE_MAX_LENGTH, validators=[storable_text])
    taken_on = serializers.DateField()


class MilestoneListView(ListCreateAPIView):
    """The campaign's milestones, oldest first (``taken_on_from``/``taken_on_to`` filter by
    date); POST takes one now (org admins and consultants)."""

    serializer_class = MilestoneOutput
    filterset_class = MilestoneFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Milestone.objects.none()
        campaign, self.standing = campaign_for(self.request.user, self.kwargs["pk"])
        return selectors.milestones_of(campaign)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "standing": getattr(self, "standing", None)}

    @extend_schema(
        request=MilestoneInput,
        responses={201: MilestoneDetailOutput, 409: error_response(DRAFT)},
    )
    def post(self, request, pk: int):
        campaign, standing = campaign_for(request.user, pk)
        if not access.takes_milestones(standing):
            raise PermissionDenied
        data = MilestoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = take_milestone(
            campaign=campaign,
            name=data.validated_data["name"],
            taken_on=data.validated_data["taken_on"],
            by=request.user,
        )
        return APIResponse(_detail(milestone, standing), status=status.HTTP_201_CREATED)


class MilestoneDetailView(APIView):
    """One milestone's frozen results (a manager: their own department's rows)."""

    @extend_schema(responses=MilestoneDetailOutput)
    def get(self, request, milestone_id: int):
        milestone = get_object_or_404(
            Milestone.objects.select_related("created_by", "campaign"), pk=milestone_id
        )
        _campaign, standing = campaign_for(request.user, milestone.campaign_id)
        return APIResponse(_detail(milestone, standing))


class CompareQuery(serializers.Serializer):
    # "m:<milestone id>" or "c:<campaign id>" of the campaign's organisation; both default
    # to the compare page's defaults (the latest milestone, else the previous campaign,
    # against this campaign now).
    before = serializers.RegexField(comparing.SIDE_KEY, required=False)
    after = serializers.RegexField(comparing.SIDE_KEY, required=False)


class SideOutput(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()  # "milestone" or "campaign"
    label = serializers.CharField()
    campaign = serializers.IntegerField()
    milestone = serializers.IntegerField(allow_null=True)
    moment = serializers.DateTimeField()


class CompareDimensionOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    on = serializers.CharField()  # "both", or the one side it is on: "before" or "after"


class CompareRowOutput(serializers.Serializer):
    department = serializers.IntegerField(allow_null=True)  # null: the organisation
    department_name = serializers.CharField()
    dimension = serializers.CharField()
    before_mean = serializers.FloatField(allow_null=True)
    after_mean = serializers.FloatField(allow_null=True)
    delta = serializers.FloatField(allow_null=True)
    before_level = serializers.IntegerField(allow_null=True)
    after_level = serializers.IntegerField(allow_null=True)
    # Why there is no delta: not_assessed, withheld, only_before, only_after, no_score.
    status = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class ActionDoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    dimension = serializers.CharField(source="dimension_code")
    completed_at = serializers.DateTimeField()


class CompareDepartmentOutput(serializers.Serializer):
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="name")
    before_note = serializers.CharField(allow_blank=True)
    after_note = serializers.CharField(allow_blank=True)
    actions_completed = ActionDoneOutput(many=True, source="actions")
    modules_passed = serializers.IntegerField()
    assignments_completed = serializers.IntegerField()


class ComparisonOutput(serializers.Serializer):
    before = SideOutput()
    after = SideOutput()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    dimensions = CompareDimensionOutput(many=True)
    rows = CompareRowOutput(many=True)
    organisation = CompareRowOutput(many=True)
    departments = CompareDepartmentOutput(many=True)


def _side(side) -> dict:
    return {
        "key": side.key,
        "kind": side.kind,
        "label": side.label,
        "campaign": side.campaign.pk,
        "milestone": side.milestone.pk if side.milestone else None,
        "moment": side.moment,
    }


def _row(department_id, name, row) -> dict:
    return {
        "department": department_id,
        "department_name": name,
        "dimension": row.dimension.code,
        "before_mean": row.before_mean,
        "after_mean": row.after_mean,
        "delta": row.delta,
        "before_level": row.before_level,
        "after_level": row.after_level,
        "status": row.status,
        "note": row.note,
    }


NOTHING = gettext_lazy("Nothing to compare yet: take a milestone, or run a second campaign.")
SAME_SIDE = gettext_lazy("Choose two different sides to compare.")
NOT_FOUND = gettext_lazy("No such milestone or campaign in this organisation.")


class CompareView(APIView):
    """Two sides compared per department × dimension, with the actions and training
    completed in between (``improvement.milestones.compare``)."""

    @extend_schema(parameters=[CompareQuery], responses=ComparisonOutput)
    def get(self, request, pk: int):
        campaign, standing = campaign_for(request.user, pk)
        query = CompareQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        before, after = comparing.default_keys(campaign) or ("", "")
        keys = {"before": before, "after": after, **query.validated_data}
        if not keys["before"] or not keys["after"]:
            raise MilestoneError("nothing_to_compare", str(NOTHING))
        if keys["before"] == keys["after"]:
            raise MilestoneError("same_side", str(SAME_SIDE))
        sides = {}
        for name, key in keys.items():
            sides[name] = comparing.resolve(
                key, campaign.organisation_id, department_id=_rows_of(standing)
            )
            if sides[name] is None:
                raise MilestoneError("not_found", str(NOT_FOUND), field=name)
        comparison = comparing.compare(
            sides["before"], sides["after"], department_id=_rows_of(standing)
        )
        return APIResponse(
            ComparisonOutput(
                {
                    "before": _side(comparison.before),
                    "after": _side(comparison.after),
                    "start": comparison.start,
                    "end": comparison.end,
                    "dimensions": comparison.dimensions,
                    "rows": [
                        _row(d.department_id, d.name, row)
                        for d in comparison.departments
                        for row in d.rows
                    ],
                    "organisation": [
                        _row(None, campaign.organisation.name, row)
                        for row in comparison.organisation
                    ],
                    "departments": comparison.departments,
                }
            ).data
        )
