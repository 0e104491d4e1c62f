"""REST API of a department's loop (``/api/v1/campaigns/<id>/departments/<id>/loop/``): the
same ``department_loop`` as the page and the PDF, scoped like the department's results."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments.selectors import department_for
from assessments.templatetags.people import person
from results.loader import shown_results

from .selectors import department_loop


class GapOutput(serializers.Serializer):
    rank = serializers.IntegerField()  # the plan's order (docs/scoring.md)
    mean = serializers.FloatField()
    level = serializers.IntegerField()
    target = serializers.IntegerField()
    gap = serializers.FloatField()


class LoopActionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.IntegerField(allow_null=True)
    owner_name = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    planned_level = serializers.IntegerField(allow_null=True)


class TrainingOutput(serializers.Serializer):
    module = serializers.SlugField()
    title = serializers.CharField()
    members = serializers.IntegerField()
    assigned = serializers.IntegerField()
    read = serializers.IntegerField()
    passed = serializers.IntegerField()
    best_score = serializers.FloatField(allow_null=True)  # mean best quiz score, %
    linked = serializers.BooleanField()  # linked to an action (else proposed by the plan)


class DeltaOutput(serializers.Serializer):
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)


class LoopStepOutput(serializers.Serializer):
    dimension = serializers.CharField()
    dimension_title = serializers.CharField()
    gap = GapOutput(allow_null=True)  # null outside the plan, and for a withheld department
    actions = LoopActionOutput(many=True)
    training = TrainingOutput(many=True)
    delta = DeltaOutput(allow_null=True)


class LoopOutput(serializers.Serializer):
    campaign = serializers.IntegerField()
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    # True below the anonymity threshold: no gap or delta then (docs/privacy.md).
    withheld = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    # What the delta compares with: "next" campaign, "milestone", "previous" campaign, or "".
    delta_kind = serializers.CharField(allow_blank=True)
    delta_name = serializers.CharField(allow_blank=True)
    steps = LoopStepOutput(many=True)


class DepartmentLoopView(APIView):
    """One department's loop in plan order: gap → actions → training → change."""

    @extend_schema(responses=LoopOutput)
    def get(self, request, pk: int, department_id: int):
        campaign, standing, department = department_for(request.user, pk, department_id)
        loop = department_loop(shown_results(campaign), department, standing=standing)
        overdue = loop.overdue
        return APIResponse(
            {
                "campaign": campaign.pk,
                "department": department.pk,
                "department_name": department.name,
                "withheld": loop.withheld,
                "reason": loop.reason,
                "delta_kind": loop.delta_kind,
                "delta_name": loop.delta_name,
                "steps": [_step(step, overdue) for step in loop.steps],
            }
        )


def _step(step, overdue: set[int]) -> dict:
    plan = step.plan
    return {
        "dimension": step.dimension.code,
        "dimension_title": step.dimension.title,
        "gap": None
        if plan is None
        else {
            "rank": plan.rank,
            "mean": plan.mean,
            "level": plan.level,
            "target": plan.target,
            "gap": plan.gap,
        },
        "actions": [
            {
                "id": a.pk,
                "title": a.title,
                "status": a.status,
                "owner": a.owner_id,
                "owner_name": person(a.owner) if a.owner else "",
                "due_on": a.due_on,
                "overdue": a.pk in overdue,
                "planned_level": a.planned_level,
            }
            for a in step.actions
        ],
        "training": [
            {
                "module": line.module.slug,
                "title": line.module.title,
                "members": line.members,
                "assigned": line.assigned,
                "read": line.read,
                "passed": line.passed,
                "best_score": line.best_score,
                "linked": line.linked,
            }
            for line in step.training
        ],
        "delta": None
        if step.delta is None
        else {"before": step.delta.before, "after": step.delta.after, "change": step.delta.change},
    }
