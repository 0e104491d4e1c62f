"""REST API of evidence (``/api/v1/``): a campaign's evidence (list with filters, create
with a file, a link or text), one evidence (read, change), its review and its file.

Scoped like the pages: 404 outside the organisation and for evidence the caller may not see
(``selectors.visible_evidence``); the rules are the services' and ``improvement.access``'s.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments.access import standing_in
from assessments.models import Answer, Campaign
from assessments.templatetags.people import person
from config.api_schema import error_response
from config.parsers import BoundedJSONParser

from ..models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Action, Evidence
from . import selectors, services
from .forms import EvidenceFilter
from .validation import EvidenceError
from .views import file_response

LARGEST_ID = 2**63 - 1
NOT_PENDING = gettext_lazy("Only pending, current evidence can be reviewed.")
NOT_CURRENT = gettext_lazy("Only the current version can be changed.")


NOT_A_BODY = gettext_lazy("The body is neither multipart/form-data (to send a file) nor JSON.")


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file part of a multipart body."""


def _id(**options):
    return serializers.IntegerField(min_value=1, max_value=LARGEST_ID, **options)


@extend_schema_serializer(component_name="EvidenceOutput")
class EvidenceOutput(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id")
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    answer = serializers.IntegerField(source="answer_id", allow_null=True)
    question = serializers.SerializerMethodField()
    action = serializers.IntegerField(source="action_id", allow_null=True)
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_name = serializers.SerializerMethodField()
    file_name = serializers.CharField(source="original_name")
    download = serializers.SerializerMethodField()
    reviewed_by = serializers.IntegerField(source="reviewed_by_id", allow_null=True)
    reviewed_by_name = serializers.SerializerMethodField()
    previous = serializers.IntegerField(source="previous_id", allow_null=True)
    recertification_due = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "campaign",
            "department",
            "department_name",
            "answer",
            "question",
            "action",
            "kind",
            "title",
            "text",
            "url",
            "file_name",
            "content_type",
            "size",
            "download",
            "owner",
            "owner_name",
            "created_at",
            "status",
            "reviewed_by",
            "reviewed_by_name",
            "reviewed_at",
            "review_comment",
            "recertify_on",
            "recertification_due",
            "version",
            "previous",
            "is_current",
        ]

    def get_question(self, evidence) -> int | None:
        return evidence.answer.question_id if evidence.answer_id else None

    def get_owner_name(self, evidence) -> str:
        return person(evidence.owner)

    def get_reviewed_by_name(self, evidence) -> str:
        """The reviewer's name as the pages write it; "" before a review."""
        return person(evidence.reviewed_by)

    def get_download(self, evidence) -> str | None:
        """The API path of the file, for file evidence."""
        if evidence.kind != Evidence.Kind.FILE or not evidence.file:
            return None
        return reverse("api-evidence-file", args=[evidence.pk])

    def get_recertification_due(self, evidence) -> bool:
        due = getattr(evidence, "recertification_due", None)
        if due is not None:
            return bool(due)
        return bool(
            evidence.is_current
            and evidence.status == Evidence.Status.APPROVED
            and evidence.recertify_on
            and evidence.recertify_on <= timezone.localdate()
        )


class EvidenceFilterBackend(DjangoFilterBackend):
    """django-filter with the departments of the view's campaign."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        campaign = getattr(view, "campaign", None)
        return {**kwargs, "campaign": campaign} if campaign is not None else kwargs


def _reload(evidence: Evidence, user) -> Evidence:
    return selectors.visible_evidence(user, evidence.pk)[0]


def _target(campaign, standing, user, values) -> dict:
    """The answer or action the ids name, in ``campaign`` and visible to ``user``; an id of
    anything else is refused as outside the campaign (nothing about it is revealed)."""
    answer_id, action_id = values.pop("answer", None), values.pop("action", None)
    if (answer_id is None) == (action_id is None):
        raise EvidenceError(
            "target_required", _("Evidence belongs to exactly one answer or one action.")
        )
    if answer_id is not None:
        answer = (
            Answer.objects.select_related("response__department", "question")
            .filter(pk=answer_id, response__campaign=campaign)
            .first()
        )
        shown = selectors.shown_response_ids(campaign, viewer=user, viewer_standing=standing)
        if answer is None or answer.response_id not in shown:
            raise EvidenceError(
                "answer_elsewhere",
                _("The answer does not belong to this campaign and department."),
                "answer",
            )
        return {"answer": answer, "department": answer.response.department}
    action = (
        Action.objects.select_related("department").filter(pk=action_id, campaign=campaign).first()
    )
    if action is None:
        raise EvidenceError(
            "action_elsewhere",
            _("The action does not belong to this campaign and department."),
            "action",
        )
    return {"action": action, "department": action.department}


class EvidenceListView(ListAPIView):
    """A campaign's evidence the caller may see, current versions, pending first (filters:
    status, department, answer, action, recertification_due); POST adds evidence to one
    answer or action — multipart with a ``file``, or JSON for text and links."""

    serializer_class = EvidenceOutput
    filterset_class = EvidenceFilter
    filter_backends = [EvidenceFilterBackend]
    parser_classes = [MultiPartParser, BoundedJSONParser]

    @extend_schema_serializer(component_name="EvidenceInput")
    class InputSerializer(serializers.Serializer):
        """Exactly one of ``answer`` and ``action``; ``text`` for text evidence (a note for the
        others), ``url`` (http or https) for a link, ``file`` (multipart) for a file."""

        answer = _id(required=False, allow_null=True, default=None)
        action = _id(required=False, allow_null=True, default=None)
        kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
        title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
        text = serializers.CharField(
            max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
        )
        url = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
        file = UploadField(required=False, allow_null=True, default=None, use_url=False)
        recertify_on = serializers.DateField(required=False, allow_null=True, default=None)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's call
            return Evidence.objects.none()
        self.campaign = get_object_or_404(
            Campaign.objects.select_related("organisation"), pk=self.kwargs["pk"]
        )
        standing = standing_in(self.request.user, self.campaign.organisation_id)
        return selectors.evidence_for(
            self.campaign, viewer_standing=standing, viewer=self.request.user
        )

    @extend_schema(
        request={
            "multipart/form-data": InputSerializer,
            "application/json": InputSerializer,
        },
        responses={201: EvidenceOutput, 415: error_response(NOT_A_BODY)},
    )
    def post(self, request, pk: int):
        campaign = get_object_or_404(Campaign.objects.select_related("organisation"), pk=pk)
        standing = standing_in(request.user, campaign.organisation_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        target = _target(campaign, standing, request.user, values)
        evidence = services.add_evidence(campaign=campaign, by=request.user, **target, **values)
        return APIResponse(
            EvidenceOutput(_reload(evidence, request.user)).data, status=status.HTTP_201_CREATED
        )


class EvidenceDetailView(APIView):
    """One evidence (any version). PATCH changes the current version: pending or rejected
    evidence in place (back to pending), approved evidence becomes a new version, pending,
    whose id the reply gives (``previous`` is the approved one, kept as history)."""

    parser_classes = [MultiPartParser, BoundedJSONParser]

    @extend_schema_serializer(component_name="EvidencePatch")
    class PatchSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Evidence.Kind.choices, required=False)
        title = serializers.CharField(max_length=TITLE_MAX_LENGTH, required=False)
        text = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
        url = serializers.CharField(max_length=2000, required=False, allow_blank=True)
        file = UploadField(required=False, use_url=False)
        recertify_on = serializers.DateField(required=False, allow_null=True)

    @extend_schema(responses=EvidenceOutput)
    def get(self, request, evidence_id: int):
        evidence, _standing = selectors.visible_evidence(request.user, evidence_id)
        return APIResponse(EvidenceOutput(evidence).data)

    @extend_schema(
        request={
            "multipart/form-data": PatchSerializer,
            "application/json": PatchSerializer,
        },
        responses={
            200: EvidenceOutput,
            409: error_response(NOT_CURRENT),
            415: error_response(NOT_A_BODY),
        },
    )
    def patch(self, request, evidence_id: int):
        evidence, _standing = selectors.visible_evidence(request.user, evidence_id)
        data = self.PatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revised = services.revise_evidence(
            evidence=evidence, by=request.user, **data.validated_data
        )
        return APIResponse(EvidenceOutput(_reload(revised, request.user)).data)


class EvidenceReviewView(APIView):
    """Approve or reject pending evidence (org admins and consultants); a rejection needs a
    comment. Approved evidence is locked."""

    parser_classes = [BoundedJSONParser]

    @extend_schema_serializer(component_name="EvidenceReviewInput")
    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(
            choices=[(Evidence.Status.APPROVED, "approved"), (Evidence.Status.REJECTED, "rejected")]
        )
        comment = serializers.CharField(
            max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            200: EvidenceOutput,
            403: error_response(services.OWN_EVIDENCE),
            409: error_response(NOT_PENDING),
        },
    )
    def post(self, request, evidence_id: int):
        evidence, _standing = selectors.visible_evidence(request.user, evidence_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reviewed = services.review_evidence(
            evidence=evidence, by=request.user, **data.validated_data
        )
        return APIResponse(EvidenceOutput(_reload(reviewed, request.user)).data)


class EvidenceFileView(APIView):
    """The evidence's file, as an attachment in its own content type (404 for evidence that
    is not a file)."""

    def perform_content_negotiation(self, request, force=False):
        # Any Accept gets the file; errors still come as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={
            200: OpenApiResponse(
                description=gettext_lazy(
                    "The file, with its own Content-Type (PDF, PNG, JPEG, XLSX, DOCX, PPTX, "
                    "CSV or plain text) and Content-Disposition: attachment."
                )
            )
        }
    )
    def get(self, request, evidence_id: int):
        evidence, _standing = selectors.visible_evidence(request.user, evidence_id)
        return file_response(evidence)
