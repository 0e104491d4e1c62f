"""The organisation's answers to the questions of organisation scope (``maturity.scopes``):
its pay scheme, what its executives ask of everyone. Answered once per campaign by the
organisation's admin and counted for every department (``results.loader``)."""

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maturity.business_models import applies as applies_to_model
from maturity.scopes import asked_of_departments
from maturity.selectors import question_rules

from ..models import Campaign, OrganisationAnswer
from .answers import AnswerInput, checked_texts
from .errors import AssessmentError


def _rule(campaign: Campaign, question_id: int):
    rule = question_rules(campaign.framework).get(question_id)
    if (
        rule is None
        or asked_of_departments(rule.scope)
        or not applies_to_model(rule.business_models, campaign.organisation.business_model)
    ):
        raise AssessmentError(
            "not_organisation_question",
            _("Question %(id)s is not one the organisation answers as a whole in this campaign.")
            % {"id": question_id},
            field="question",
            question_id=question_id,
        )
    return rule


def save_organisation_answers(
    *, campaign: Campaign, items: list[AnswerInput], clear: Collection[int] = (), by
) -> list[OrganisationAnswer]:
    """Validate and upsert the organisation's answers (one row per campaign and question,
    last write wins) and delete those of the questions in ``clear``; all or nothing, with
    the same checks as a respondent's answer (``answers.checked_texts``). The campaign row
    is locked while writing, so a save and a close never cross: once the campaign stops
    accepting answers, a save is refused with 409 and writes nothing."""
    now = timezone.now()
    rows = []
    for item in items:
        na_reason, comment = checked_texts(_rule(campaign, item.question_id), item)
        rows.append(
            OrganisationAnswer(
                campaign=campaign,
                question_id=item.question_id,
                choice_id=item.choice_id,
                is_na=item.is_na,
                na_reason=na_reason,
                comment=comment,
                answered_by=by,
                updated_at=now,
            )
        )
    for question_id in clear:
        _rule(campaign, question_id)
    with transaction.atomic():
        locked = (
            Campaign.objects.select_for_update()
            .only("status", "opens_on", "closes_on")
            .get(pk=campaign.pk)
        )
        if not locked.is_accepting_answers:
            raise AssessmentError(
                "campaign_closed",
                _("This campaign is not accepting answers (it is closed or not open yet)."),
                status=409,
            )
        if rows:
            OrganisationAnswer.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["campaign", "question"],
                update_fields=[
                    "choice",
                    "is_na",
                    "na_reason",
                    "comment",
                    "answered_by",
                    "updated_at",
                ],
            )
        if clear:
            OrganisationAnswer.objects.filter(campaign=campaign, question_id__in=clear).delete()
    return rows
