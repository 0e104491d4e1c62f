"""REST API for improvement actions (``/api/v1/``): a campaign's actions (list with filters,
create), one action (read, change; its owner may change the status only) and its history.

Views validate with an input serializer and call one service; scoping and rights come from
the same selectors and ``improvement.access`` predicates as the pages. A refused write is an
``ActionError``: 400 in the project's error shape, with the field it is about."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments.forms import LARGEST_ID
from assessments.templatetags.people import person
from maturity.models import Recommendation

from .. import access
from ..models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Action, ActionEvent
from . import selectors, services
from .forms import ActionFilter


def _id(**options) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=LARGEST_ID, **options)


class ActionOutput(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id")
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    dimension = serializers.CharField(source="dimension_code")
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    recommendation = serializers.IntegerField(source="recommendation_id", allow_null=True)
    modules = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "campaign",
            "department",
            "department_name",
            "dimension",
            "title",
            "description",
            "owner",
            "owner_name",
            "due_on",
            "status",
            "overdue",
            "planned_level",
            "recommendation",
            "modules",
            "completed_at",
            "created_at",
            "updated_at",
        ]

    def get_owner_name(self, action) -> str:
        """The owner's name (family name first); empty without an owner."""
        return person(action.owner)

    def get_overdue(self, action) -> bool:
        """Open and due before today (the site's date)."""
        overdue = getattr(action, "overdue", None)
        return selectors.is_overdue(action) if overdue is None else overdue

    def get_modules(self, action) -> list[int]:
        """Ids of the linked training modules."""
        return sorted(m.pk for m in action.modules.all())


class ActionEventOutput(serializers.ModelSerializer):
    by = serializers.IntegerField(source="by_id", allow_null=True)
    by_name = serializers.SerializerMethodField()
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2)
    )

    class Meta:
        model = ActionEvent
        fields = ["id", "kind", "by", "by_name", "at", "changes"]

    def get_by_name(self, event) -> str:
        return person(event.by)


class ActionFilterBackend(DjangoFilterBackend):
    """django-filter with the choices of the view's campaign."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        campaign = getattr(view, "campaign", None)
        return {**kwargs, "campaign": campaign} if campaign is not None else kwargs


def _department(campaign, department_id):
    department = campaign.departments.filter(pk=department_id).first()
    if department is None:
        raise services.ActionError(
            "department_not_assessed",
            _("This department is not assessed in the campaign."),
            "department",
        )
    return department


def _resolved(values: dict) -> dict:
    """Ids of the input turned into the objects the services take (an unknown id is the
    same refusal the service gives for an object outside the campaign)."""
    out = dict(values)
    if "dimension" in out:
        out["dimension_code"] = out.pop("dimension")
    if out.get("owner") is not None:
        owner = get_user_model().objects.filter(pk=out["owner"]).first()
        if owner is None:
            raise services.ActionError(
                "owner_not_member",
                _("The owner must be a member of the organisation or one of its consultants."),
                "owner",
            )
        out["owner"] = owner
    if out.get("recommendation") is not None:
        recommendation = (
            Recommendation.objects.filter(pk=out["recommendation"])
            .select_related("dimension_level__dimension")
            .first()
        )
        if recommendation is None:
            raise services.ActionError(
                "recommendation_elsewhere",
                _("The recommendation belongs to another dimension."),
                "recommendation",
            )
        out["recommendation"] = recommendation
    return out


class ActionListView(ListAPIView):
    """A campaign's actions the caller may see (org admins and consultants every one, a
    manager their department's and their own, anyone else those they own), with filters;
    POST creates one (org admins, consultants, the department's manager)."""

    serializer_class = ActionOutput
    filterset_class = ActionFilter
    filter_backends = [ActionFilterBackend]

    @extend_schema_serializer(component_name="ActionInput")
    class InputSerializer(serializers.Serializer):
        department = _id()
        dimension = serializers.CharField(max_length=64)
        title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
        description = serializers.CharField(
            max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
        )
        owner = _id(required=False, allow_null=True, default=None)
        due_on = serializers.DateField(required=False, allow_null=True, default=None)
        planned_level = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=0, max_value=100
        )
        recommendation = _id(required=False, allow_null=True, default=None)
        modules = serializers.ListField(child=_id(), required=False, default=list, max_length=100)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, built without a request
            return Action.objects.none()
        self.campaign, self.standing = selectors.campaign_for_actions(
            self.request.user, self.kwargs["pk"]
        )
        actions = selectors.visible_actions(self.campaign, self.standing, self.request.user)
        actions = selectors.with_overdue(actions, timezone.localdate())
        return selectors.decorated(actions).order_by("department__name", "due_on", "pk")

    @extend_schema(request=InputSerializer, responses={201: ActionOutput})
    def post(self, request, pk: int):
        campaign, standing = selectors.campaign_for_actions(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = _resolved(data.validated_data)
        department = _department(campaign, values.pop("department"))
        if not access.edits_actions(standing, department.pk):
            raise PermissionDenied
        action = services.create_action(
            campaign=campaign, department=department, by=request.user, **values
        )
        action = selectors.decorated(Action.objects.filter(pk=action.pk)).get()
        return APIResponse(ActionOutput(action).data, status=status.HTTP_201_CREATED)


class ActionDetailView(APIView):
    """One action. PATCH changes the fields given; the action's owner who may not edit the
    rest (``improvement.access``) may change only its status (403 otherwise)."""

    @extend_schema_serializer(component_name="ActionPatch")
    class PatchSerializer(serializers.Serializer):
        dimension = serializers.CharField(max_length=64, required=False)
        title = serializers.CharField(max_length=TITLE_MAX_LENGTH, required=False)
        description = serializers.CharField(
            max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True
        )
        owner = _id(required=False, allow_null=True)
        due_on = serializers.DateField(required=False, allow_null=True)
        status = serializers.ChoiceField(choices=Action.Status.choices, required=False)
        planned_level = serializers.IntegerField(
            required=False, allow_null=True, min_value=0, max_value=100
        )
        recommendation = _id(required=False, allow_null=True)
        modules = serializers.ListField(child=_id(), required=False, max_length=100)

    @extend_schema(responses=ActionOutput)
    def get(self, request, action_id: int):
        action, _standing = selectors.action_for(request.user, action_id)
        return APIResponse(ActionOutput(action).data)

    @extend_schema(request=PatchSerializer, responses=ActionOutput)
    def patch(self, request, action_id: int):
        action, standing = selectors.action_for(request.user, action_id)
        data = self.PatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        owner_only = not access.edits_actions(standing, action.department_id)
        if owner_only and (
            not access.moves_action(standing, action, request.user) or set(values) - {"status"}
        ):
            raise PermissionDenied
        action = services.update_action(action=action, by=request.user, **_resolved(values))
        action = selectors.decorated(Action.objects.filter(pk=action.pk)).get()
        return APIResponse(ActionOutput(action).data)


class ActionHistoryView(APIView):
    """Every change of an action, oldest first: who, when, and each field's old and new
    value as stored (ids, codes, ISO dates)."""

    @extend_schema(responses=ActionEventOutput(many=True))
    def get(self, request, action_id: int):
        action, _standing = selectors.action_for(request.user, action_id)
        events = action.events.select_related("by").order_by("at", "pk")
        return APIResponse(ActionEventOutput(events, many=True).data)
