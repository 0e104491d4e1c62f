"""The anonymity rule, decided here once and applied by every output: the results pages,
the results API, the CSV/XLSX exports and the PDF report. docs/privacy.md says it in words.

* **What counts.** Only *submitted self-ratings* (rater role manager) count toward a
  campaign's ``anonymity_threshold``. Responses in progress never count, nor do the outside
  ratings of consultants and org admins.
* **At or above the threshold** a department is *shown*: its scores, and each submitted
  answer and comment under its respondent's name.
* **Below it** the department is *withheld*: no score of any kind (department, level,
  spread, perception gap, disagreement, history, plan, default target), it is left out of
  the organisation roll-up, and no self-rating's answers or comments appear, named or not.
* **Outside ratings** are given in a professional role, not as survey answers: always
  shown, always under the rater's name beside their role; they never make a department's
  scores visible.
* **The viewer's own answers** are always theirs to see, labelled "You".
* **Drafts** (responses in progress) appear only in an export that asks for them: every
  draft for those who run the campaign (org admins, consultants), a manager's own only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from .models import Campaign, Response
from .templatetags.people import person

SELF_RATING = Response.RaterRole.MANAGER


@dataclass(frozen=True)
class Disclosure:
    """What a campaign may show: its threshold and each department's count of the
    responses that count toward it."""

    threshold: int
    self_ratings: dict[int, int]

    def shows(self, department_id: int) -> bool:
        return self.self_ratings.get(department_id, 0) >= self.threshold

    def reason(self, department_id: int) -> str:
        """Why a department shows no scores, for a reader; empty when it shows them."""
        if self.shows(department_id):
            return ""
        return _(
            "Withheld to protect the respondents: a department's results are shown once it "
            "has %(threshold)s submitted self-ratings; it has %(count)s so far."
        ) % {"threshold": self.threshold, "count": self.self_ratings.get(department_id, 0)}


def disclosure(campaign: Campaign) -> Disclosure:
    """The campaign's disclosure, in one query."""
    counts = (
        Response.objects.filter(
            campaign=campaign, status=Response.Status.SUBMITTED, rater_role=SELF_RATING
        )
        .values("department_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Disclosure(
        threshold=campaign.anonymity_threshold,
        self_ratings={row["department_id"]: row["n"] for row in counts},
    )


def shown_answers(answers: pd.DataFrame, rule: Disclosure) -> pd.DataFrame:
    """Only the answers of the departments ``rule`` shows: what every score is made from."""
    keep = answers["department_id"].map(rule.shows).astype(bool)
    return answers[keep].reset_index(drop=True)


def respondent_labels(responses, rule: Disclosure, viewer) -> dict[int, str]:
    """The label of every response a reader may see, by response id; a response missing
    from the result is withheld (a self-rating of a department below the threshold)."""
    labels = {}
    for response in responses:
        if viewer is not None and response.respondent_id == viewer.pk:
            labels[response.pk] = _("You")
        elif response.rater_role != SELF_RATING or rule.shows(response.department_id):
            labels[response.pk] = person(response.respondent)
    return labels


def readable_responses(
    responses: QuerySet[Response], *, viewer, can_manage: bool, drafts: bool
) -> QuerySet[Response]:
    """Submitted responses; with ``drafts``, also those in progress: all of them for whoever
    runs the campaign, only the viewer's own for anybody else."""
    submitted = Q(status=Response.Status.SUBMITTED)
    if not drafts:
        return responses.filter(submitted)
    if can_manage:
        return responses
    return responses.filter(submitted | Q(respondent_id=viewer.pk))
