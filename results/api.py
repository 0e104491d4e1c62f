"""REST API for a campaign's results (``/api/v1/campaigns/<id>/results/``): the same rows
as the results pages, exports and PDF, scoped like them: scores per department and dimension
(with its streams), each department's and the organisation's areas and overall figure, and
the plans."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments.selectors import campaign_for

from . import rows as presenters
from .department import department_results
from .loader import shown_results


class StreamScoreOutput(serializers.Serializer):
    """A stream (sub-group) of a dimension: the roll-up of its questions."""

    code = serializers.CharField()
    title = serializers.CharField()  # the code when the framework gives no title
    mean = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)


class AreaScoreOutput(serializers.Serializer):
    """An area: the roll-up of its dimensions by the framework's area rule."""

    code = serializers.CharField()
    title = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)


class OverallScoreOutput(serializers.Serializer):
    """One figure by the framework's overall rule (mean of areas, or of dimensions)."""

    mean = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)


class DepartmentRollUpOutput(serializers.Serializer):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    # True below the anonymity threshold: every number of overall and areas is null.
    withheld = serializers.BooleanField()
    overall = OverallScoreOutput()
    areas = AreaScoreOutput(many=True)  # empty for a framework without areas


class OrganisationDimensionOutput(serializers.Serializer):
    dimension = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    streams = StreamScoreOutput(many=True)


class OrganisationRollUpOutput(serializers.Serializer):
    """The organisation: the mean of the departments shown."""

    overall = OverallScoreOutput()
    areas = AreaScoreOutput(many=True)
    dimensions = OrganisationDimensionOutput(many=True)


class ScoreRowOutput(serializers.Serializer):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    dimension = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    respondents = serializers.IntegerField()
    spread = serializers.FloatField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)
    perception_gap = serializers.FloatField(allow_null=True)
    # The organisation's mean of the dimension (the departments shown), for comparison.
    organisation_mean = serializers.FloatField(allow_null=True)
    previous_mean = serializers.FloatField(allow_null=True)
    delta = serializers.FloatField(allow_null=True)
    # True below the campaign's anonymity threshold: every score is then null (docs/privacy.md).
    withheld = serializers.BooleanField()
    streams = StreamScoreOutput(many=True)  # empty for a dimension without streams


class ScaleOutput(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()


class PlanStepOutput(serializers.Serializer):
    rank = serializers.IntegerField()  # 1 for the department's first step
    dimension = serializers.CharField()
    level = serializers.IntegerField()
    mean = serializers.FloatField()
    target = serializers.IntegerField()
    gap = serializers.FloatField()  # target − mean, above 0


class DepartmentPlanOutput(serializers.Serializer):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    # Empty for a withheld department (its scores are null) or one at every target.
    steps = PlanStepOutput(many=True)  # in plan order (docs/scoring.md)


class CampaignResultsOutput(serializers.Serializer):
    campaign = serializers.IntegerField()
    scale = ScaleOutput()
    scores = ScoreRowOutput(many=True)
    departments = DepartmentRollUpOutput(many=True)
    organisation = OrganisationRollUpOutput()
    plans = DepartmentPlanOutput(many=True)


class CampaignResultsView(APIView):
    """Scores per department and dimension (with streams), each department's and the
    organisation's areas and overall figure, and each department's improvement plan in order
    (managers: their own department only)."""

    @extend_schema(responses=CampaignResultsOutput)
    def get(self, request, pk: int):

        campaign, standing = campaign_for(request.user, pk)
        department_id = None if standing.can_manage else standing.department_id
        if department_id is None and not standing.can_manage:
            raise PermissionDenied
        results = shown_results(campaign)
        departments = department_results(results, department_id=department_id)
        return APIResponse(
            {
                "campaign": campaign.pk,
                "scale": {"min": results.scale.low, "max": results.scale.high},
                "scores": [_score(each, row) for each in departments for row in each.rows],
                "departments": [_roll_up(results, each) for each in departments],
                "organisation": _organisation(results),
                "plans": [_plan(each) for each in departments],
            }
        )


def _score(each, row) -> dict:
    return {
        "department": each.department.pk,
        "department_name": each.department.name,
        "dimension": row.dimension.code,
        "mean": row.mean,
        "score": row.score,
        "level": row.level,
        "respondents": row.n,
        "spread": row.spread,
        "target": row.target,
        "perception_gap": row.perception_gap,
        "organisation_mean": row.organisation_mean,
        "previous_mean": row.previous_mean,
        "delta": row.delta,
        "withheld": each.withheld,
        "streams": [_stream(stream) for stream in row.streams],
    }


def _stream(row) -> dict:
    return {"code": row.stream.code, "title": row.title, "mean": row.mean, "score": row.score}


def _area(row) -> dict:
    return {
        "code": row.area.code,
        "title": row.area.title,
        "mean": row.mean,
        "score": row.score,
        "level": row.level,
    }


def _overall(figure) -> dict:
    if figure is None:
        return {"mean": None, "score": None, "level": None}
    return {"mean": figure.mean, "score": figure.score, "level": figure.level}


def _roll_up(results, each) -> dict:
    # A withheld department has no scored rows (shown_results), so every number is null.
    department_id = each.department.pk
    return {
        "department": department_id,
        "department_name": each.department.name,
        "withheld": each.withheld,
        "overall": _overall(presenters.overall(results, department_id)),
        "areas": [_area(row) for row in presenters.department_area_rows(results, department_id)],
    }


def _organisation(results) -> dict:
    return {
        "overall": _overall(presenters.overall(results)),
        "areas": [_area(row) for row in presenters.organisation_area_rows(results)],
        "dimensions": [
            {
                "dimension": row.dimension.code,
                "mean": row.mean,
                "score": row.score,
                "level": row.level,
                "streams": [_stream(stream) for stream in row.streams],
            }
            for row in presenters.organisation_rows(results)
        ],
    }


def _plan(each) -> dict:
    return {
        "department": each.department.pk,
        "department_name": each.department.name,
        "steps": [
            {
                "rank": step.rank,
                "dimension": step.dimension.code,
                "level": step.level,
                "mean": step.mean,
                "target": step.target,
                "gap": step.gap,
            }
            for step in each.plan
        ],
    }
