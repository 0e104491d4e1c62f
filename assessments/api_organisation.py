"""The organisation's answers to the campaign's questions of organisation scope
(``maturity.scopes``) over the API: org admins and consultants read them, the org admin
sets them while the campaign accepts answers (``services.save_organisation_answers``)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from config.api_schema import error_response
from config.parsers import BoundedJSONParser
from maturity.business_models import word_question

from .api import AnswerView
from .models import Membership
from .selectors import campaign_for, organisation_questions
from .services import AnswerInput, save_organisation_answers
from .templatetags.people import person

LOCKED = gettext_lazy("The campaign is not accepting answers.")
NOT_ASKED = gettext_lazy(
    "The question is not one the organisation answers as a whole in this campaign."
)


class OrganisationChoiceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class OrganisationAnswerOutput(serializers.Serializer):
    choice = serializers.IntegerField(source="choice_id", allow_null=True)
    na = serializers.BooleanField(source="is_na")
    na_reason = serializers.CharField()
    comment = serializers.CharField()
    answered_by_name = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_answered_by_name(self, answer) -> str:
        """Who gave the answer, as the pages write a name; "" when they are gone."""
        return person(answer.answered_by)


class OrganisationQuestionOutput(serializers.Serializer):
    """A question the organisation answers once for every department, worded for its
    business model, with its answer (null before one is given)."""

    question = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    dimension = serializers.CharField(source="dimension.code")
    text = serializers.CharField()
    allow_na = serializers.BooleanField()
    choices = OrganisationChoiceOutput(many=True, source="choices.all")
    answer = OrganisationAnswerOutput(allow_null=True)


def _campaign(request, pk: int, *, writes: bool):
    """404 outside the organisation; 403 for managers and staff, and for a consultant who
    writes (the organisation's facts are its admin's to state)."""
    campaign, standing = campaign_for(request.user, pk)
    if not standing.can_manage or (writes and standing.role != Membership.Role.ORG_ADMIN):
        raise PermissionDenied
    return campaign


def _questions(campaign):
    business_model = campaign.organisation.business_model
    return [word_question(q, business_model) for q in organisation_questions(campaign)]


class OrganisationQuestionListView(APIView):
    """The campaign's questions about the whole organisation, with their answers."""

    @extend_schema(responses={200: OrganisationQuestionOutput(many=True)})
    def get(self, request, pk: int):
        campaign = _campaign(request, pk, writes=False)
        return APIResponse(OrganisationQuestionOutput(_questions(campaign), many=True).data)


class OrganisationAnswerView(APIView):
    """Set (PUT, last write wins) or remove (DELETE) the organisation's answer to one
    question of organisation scope; the org admin only, while the campaign accepts answers.
    The body is a respondent's answer's (choice, or N/A with a reason, and a comment)."""

    parser_classes = [BoundedJSONParser]

    @extend_schema_serializer(component_name="OrganisationAnswerInput")
    class InputSerializer(AnswerView.InputSerializer):
        pass

    def _reply(self, campaign, question_id: int):
        [question] = [q for q in _questions(campaign) if q.pk == question_id]
        return APIResponse(OrganisationQuestionOutput(question).data)

    @extend_schema(
        request=InputSerializer,
        responses={
            200: OrganisationQuestionOutput,
            400: error_response(NOT_ASKED),
            409: error_response(LOCKED),
        },
    )
    def put(self, request, pk: int, question_id: int):
        campaign = _campaign(request, pk, writes=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        save_organisation_answers(
            campaign=campaign,
            items=[
                AnswerInput(
                    question_id=question_id,
                    choice_id=values["choice"],
                    is_na=values["na"],
                    na_reason=values["na_reason"],
                    comment=values["comment"],
                )
            ],
            by=request.user,
        )
        return self._reply(campaign, question_id)

    @extend_schema(
        request=None,
        responses={
            200: OrganisationQuestionOutput,
            400: error_response(NOT_ASKED),
            409: error_response(LOCKED),
        },
    )
    def delete(self, request, pk: int, question_id: int):
        """Remove the organisation's answer; removing one that is not there is no error."""
        campaign = _campaign(request, pk, writes=True)
        save_organisation_answers(campaign=campaign, items=[], clear=[question_id], by=request.user)
        return self._reply(campaign, question_id)
