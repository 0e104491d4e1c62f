"""Evidence on other pages, as inclusion tags:

- ``{% answer_evidence answer %}`` next to an answer (the score explanation): its current
  evidence with status, links to each and to add one for whoever may;
- ``{% department_evidence campaign department %}``: a department's counts (approved, pending,
  rejected, re-certification due), with the review queue for reviewers;
- ``{% action_evidence action %}`` on an action's page: its current evidence, and "add".

Each asks ``improvement.evidence.selectors`` (the anonymity rule included); the answer tag
loads a campaign's evidence once per request, however many answers a page shows.
"""

from collections import Counter, defaultdict

from django import template

from assessments.access import standings
from assessments.models import Campaign, Response
from improvement import access
from improvement.evidence import selectors
from improvement.models import Evidence

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None), request


def _cache(request, key, compute):
    """``compute()`` once per request (always, without a request)."""
    if request is None:
        return compute()
    cache = request.__dict__.setdefault("_levelcheck_evidence", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _visible(request, user, standing, campaign) -> list[Evidence]:
    """The campaign's current evidence ``user`` may see, once per request."""
    return _cache(
        request,
        ("rows", campaign.pk),
        lambda: list(selectors.evidence_for(campaign, viewer_standing=standing, viewer=user)),
    )


def _answer_index(request, user, standing, campaign) -> dict:
    """The campaign's visible answer evidence by answer id, its responses by id and the ids
    of those whose answers ``user`` may see, once per request."""

    def compute():
        by_answer = defaultdict(list)
        for evidence in _visible(request, user, standing, campaign):
            if evidence.answer_id is not None:
                by_answer[evidence.answer_id].append(evidence)
        responses = Response.objects.filter(campaign=campaign).only("pk", "respondent_id")
        return {
            "evidence": by_answer,
            "responses": {r.pk: r for r in responses},
            "shown": selectors.shown_response_ids(campaign, viewer=user, viewer_standing=standing),
        }

    return _cache(request, ("answers", campaign.pk), compute)


@register.inclusion_tag("improvement/evidence/_answer_evidence.html", takes_context=True)
def answer_evidence(context, answer):
    user, request = _viewer(context)
    empty = {"answer": None}
    if answer is None or user is None or not user.is_authenticated:
        return empty
    # The page's campaign: reading answer.response would cost a query per answer.
    campaign = context.get("campaign")
    if not isinstance(campaign, Campaign):
        campaign = answer.response.campaign
    standing = standings(user).get(campaign.organisation_id)
    if standing is None:
        return empty
    index = _answer_index(request, user, standing, campaign)
    response = index["responses"].get(answer.response_id)  # None: another campaign's answer
    if response is None or response.pk not in index["shown"]:
        return empty
    answer.response = response
    return {
        "answer": answer,
        "rows": index["evidence"].get(answer.pk, []),
        "may_add": access.adds_evidence_to_answer(standing, answer, user),
    }


@register.inclusion_tag("improvement/evidence/_department_evidence.html", takes_context=True)
def department_evidence(context, campaign, department):
    user, request = _viewer(context)
    standing = standings(user).get(campaign.organisation_id) if user else None
    if standing is None:
        return {"counts": None}
    rows = [
        e for e in _visible(request, user, standing, campaign) if e.department_id == department.pk
    ]
    counts = Counter(e.status for e in rows)
    return {
        "campaign": campaign,
        "department": department,
        "counts": {
            "approved": counts[Evidence.Status.APPROVED],
            "pending": counts[Evidence.Status.PENDING],
            "rejected": counts[Evidence.Status.REJECTED],
            "due": sum(1 for e in rows if e.recertification_due),
            "total": len(rows),
        },
        "reviews": access.reviews_evidence(standing),
        "heading_level": context.get("evidence_heading_level", 2),
    }


@register.inclusion_tag("improvement/evidence/_action_evidence.html", takes_context=True)
def action_evidence(context, action):
    user, request = _viewer(context)
    standing = standings(user).get(action.campaign.organisation_id) if user else None
    if standing is None or not access.sees_action(standing, action, user):
        return {"action": None}
    rows = [
        e for e in _visible(request, user, standing, action.campaign) if e.action_id == action.pk
    ]
    return {
        "action": action,
        "rows": rows,
        "may_add": access.adds_evidence_to_action(standing, action, user),
        "heading_level": context.get("evidence_heading_level", 2),
    }
