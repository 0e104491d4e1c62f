"""REST API for a campaign's results (``/api/v1/campaigns/<id>/results/``): the same rows
as the results pages, exports and PDF, scoped like them."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments.selectors import campaign_for

from .loader import shown_results
from .rows import department_rows


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
    previous_mean = serializers.FloatField(allow_null=True)
    delta = serializers.FloatField(allow_null=True)
    # True below the campaign's anonymity threshold: every score is then null (docs/privacy.md).
    withheld = serializers.BooleanField()


class ScaleOutput(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()


class CampaignResultsOutput(serializers.Serializer):
    campaign = serializers.IntegerField()
    scale = ScaleOutput()
    scores = ScoreRowOutput(many=True)


class CampaignResultsView(APIView):
    """Scores per department and dimension (managers: their own department only)."""

    @extend_schema(responses=CampaignResultsOutput)
    def get(self, request, pk: int):

        campaign, standing = campaign_for(request.user, pk)
        department_id = None if standing.can_manage else standing.department_id
        if department_id is None and not standing.can_manage:
            raise PermissionDenied
        results = shown_results(campaign)
        rows = []
        for department in results.departments:
            if department_id is not None and department.pk != department_id:
                continue
            for row in department_rows(results, department.pk):
                rows.append(
                    {
                        "department": department.pk,
                        "department_name": department.name,
                        "dimension": row.dimension.code,
                        "mean": row.mean,
                        "score": row.score,
                        "level": row.level,
                        "respondents": row.n,
                        "spread": row.spread,
                        "target": row.target,
                        "perception_gap": row.perception_gap,
                        "previous_mean": row.previous_mean,
                        "delta": row.delta,
                        "withheld": not results.disclosure.shows(department.pk),
                    }
                )
        return APIResponse(
            {
                "campaign": campaign.pk,
                "scale": {"min": results.scale.low, "max": results.scale.high},
                "scores": rows,
            }
        )
