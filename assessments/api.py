"""REST API for campaigns, responses and the autosave of answers (``/api/v1/``).

Views validate with an input serializer, call one service, and shape the reply with an
output serializer; scoping comes from the same selectors as the web pages.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from config.api_schema import error_response
from config.parsers import BoundedJSONParser
from maturity.selectors import question_rules

from .access import Standing
from .models import (
    COMMENT_MAX_LENGTH,
    NA_REASON_MAX_LENGTH,
    Answer,
    Campaign,
    Membership,
    Response,
)
from .selectors import (
    answered_count,
    campaign_for,
    campaign_progress,
    campaigns_for,
    response_for_manager,
    response_for_respondent,
)
from .services import (
    AnswerInput,
    clear_answer,
    reopen_response,
    save_answers,
    submit_response,
)
from .templatetags.people import person


def login_name(user, standing: Standing | None) -> str | None:
    """``user``'s login name for an org admin of the organisation, None for anybody else.

    People are named by ``person()`` everywhere; the login name only identifies an account,
    which is the organisation's admin's business (matching a row to their directory,
    telling a colleague how to sign in), not a consultant's or a manager's."""
    if user is None or standing is None or standing.role != Membership.Role.ORG_ADMIN:
        return None
    return user.get_username()


class AnswerOutput(serializers.ModelSerializer):
    question = serializers.IntegerField(source="question_id")
    choice = serializers.IntegerField(source="choice_id", allow_null=True)
    na = serializers.BooleanField(source="is_na")
    saved_at = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Answer
        fields = ["question", "choice", "na", "na_reason", "comment", "saved_at"]


class ResponseOutput(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id")
    department = serializers.CharField(source="department.name")
    respondent_name = serializers.SerializerMethodField()
    answers = AnswerOutput(many=True, source="answers.all")

    class Meta:
        model = Response
        fields = [
            "id",
            "campaign",
            "department",
            "respondent_name",
            "rater_role",
            "status",
            "submitted_at",
            "answers",
        ]

    def get_respondent_name(self, response) -> str:
        """The respondent's name as the pages write it (family name first)."""
        return person(response.respondent)


class ProgressOutput(serializers.Serializer):
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


def _progress(response: Response) -> dict:
    function = response.department.function
    business_model = response.campaign.organisation.business_model
    rules = question_rules(response.campaign.framework)
    total = sum(1 for rule in rules.values() if rule.applies_to(function, business_model))
    return {"answered": answered_count(response), "total": total}


LOCKED = gettext_lazy("The response is submitted, or the campaign is not accepting answers.")
NOT_ASKED = gettext_lazy(
    "The question is not part of the campaign's framework, or does not apply to this department."
)


class AnswerView(APIView):
    """Autosave: set the whole answer to one question (PUT is idempotent; last write wins).

    A PUT must carry something to save: a choice, N/A (with a reason) or a comment; an
    empty body or ``{}`` is refused (400, ``answer_required``) rather than erasing the saved
    answer. Removing a saved answer is its own request: DELETE on the same address.
    """

    parser_classes = [BoundedJSONParser]

    @extend_schema_serializer(component_name="AnswerInput")
    class InputSerializer(serializers.Serializer):
        """The whole answer to one question: a choice of the question, or N/A with a reason,
        and an optional comment. A body with none of them is refused (400)."""

        choice = serializers.IntegerField(required=False, allow_null=True, default=None)
        na = serializers.BooleanField(required=False, default=False)
        na_reason = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=NA_REASON_MAX_LENGTH
        )
        comment = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=COMMENT_MAX_LENGTH,
            trim_whitespace=False,
        )

    @extend_schema_serializer(component_name="AnswerSaveOutput")
    class OutputSerializer(serializers.Serializer):
        answer = AnswerOutput()
        progress = ProgressOutput()

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer, 409: error_response(LOCKED)},
    )
    def put(self, request, pk: int, question_id: int):
        response = response_for_respondent(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        [answer] = save_answers(
            response=response,
            items=[
                AnswerInput(
                    question_id=question_id,
                    choice_id=values["choice"],
                    is_na=values["na"],
                    na_reason=values["na_reason"],
                    comment=values["comment"],
                )
            ],
        )
        return APIResponse(
            self.OutputSerializer({"answer": answer, "progress": _progress(response)}).data
        )

    @extend_schema_serializer(component_name="AnswerClearOutput")
    class ClearOutput(serializers.Serializer):
        progress = ProgressOutput()

    @extend_schema(
        request=None,
        responses={
            200: ClearOutput,
            400: error_response(NOT_ASKED),
            409: error_response(LOCKED),
        },
    )
    def delete(self, request, pk: int, question_id: int):
        """Remove the saved answer to one question (choice, N/A, comment); removing one that
        is not there is no error."""
        response = response_for_respondent(request.user, pk)
        clear_answer(response=response, question_id=question_id)
        return APIResponse(self.ClearOutput({"progress": _progress(response)}).data)


class ResponseDetailView(RetrieveAPIView):
    """The respondent's own response with every saved answer."""

    serializer_class = ResponseOutput

    def get_object(self):
        response = response_for_respondent(self.request.user, self.kwargs["pk"])
        return response


class ResponseSubmitView(APIView):
    """Submit (lock) the respondent's own response."""

    @extend_schema(request=None, responses={200: ResponseOutput, 409: error_response(LOCKED)})
    def post(self, request, pk: int):
        response = submit_response(response=response_for_respondent(request.user, pk))
        return APIResponse(ResponseOutput(response).data)


class ResponseReopenView(APIView):
    """Reopen a submitted response (org admins and consultants)."""

    @extend_schema(request=None, responses=ResponseOutput)
    def post(self, request, pk: int):
        response = reopen_response(response=response_for_manager(request.user, pk))
        return APIResponse(ResponseOutput(response).data)


class CampaignOutput(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.label")
    organisation = serializers.IntegerField(source="organisation_id")

    class Meta:
        model = Campaign
        fields = ["id", "name", "organisation", "framework", "status", "opens_on", "closes_on"]


class RespondentProgressOutput(serializers.Serializer):
    respondent = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy(
            "The respondent's login name, for org admins only (null for everyone else)."
        ),
    )
    respondent_name = serializers.CharField(
        help_text=gettext_lazy("The respondent's name as the pages write it (family name first).")
    )
    rater_role = serializers.ChoiceField(choices=Response.RaterRole.choices)
    status = serializers.ChoiceField(choices=Response.Status.choices)
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class DepartmentProgressOutput(serializers.Serializer):
    department = serializers.CharField()
    submitted = serializers.IntegerField()
    respondents = RespondentProgressOutput(many=True)


class CampaignDetailOutput(CampaignOutput):
    progress = DepartmentProgressOutput(many=True)

    class Meta(CampaignOutput.Meta):
        fields = [*CampaignOutput.Meta.fields, "progress"]


class CampaignListView(ListAPIView):
    """Campaigns the user may open."""

    serializer_class = CampaignOutput
    filterset_fields = ["status", "organisation"]

    def get_queryset(self):
        return campaigns_for(self.request.user).order_by("-opens_on", "-id")


class CampaignDetailView(APIView):
    """A campaign with completion per department and respondent."""

    @extend_schema(responses=CampaignDetailOutput)
    def get(self, request, pk: int):
        campaign, standing = campaign_for(request.user, pk)
        department_id = None if standing.can_manage else standing.department_id
        progress = [
            {
                "department": row["department"].name,
                "submitted": row["submitted"],
                "respondents": [
                    {
                        "respondent": login_name(r.respondent, standing),
                        "respondent_name": person(r.respondent),
                        "rater_role": r.rater_role,
                        "status": r.status,
                        "answered": r.answered,
                        "total": r.total,
                    }
                    for r in row["responses"]
                ],
            }
            for row in campaign_progress(campaign, department_id=department_id)
        ]
        return APIResponse({**CampaignOutput(campaign).data, "progress": progress})
