"""Scoped reads: every function takes the user and returns only what they may see."""

from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from maturity.business_models import applies as applies_to_model
from maturity.business_models import organisation_question_applies, question_applies
from maturity.models import Choice, Dimension, Question
from maturity.scopes import QuestionScope

from . import privacy
from .access import Standing, standing_in, standings
from .models import (
    Answer,
    Campaign,
    ConsultantAccess,
    Department,
    Membership,
    OrganisationAnswer,
    Response,
)


def campaigns_for(user) -> QuerySet[Campaign]:
    """Campaigns the user may open: all of their managed organisations', and for a manager
    the campaigns that assess their department."""
    condition = Q(pk__in=[])
    for standing in standings(user).values():
        if standing.can_manage:
            condition |= Q(organisation_id=standing.organisation_id)
        elif standing.is_manager and standing.department_id:
            condition |= Q(
                organisation_id=standing.organisation_id, departments=standing.department_id
            )
    return Campaign.objects.filter(condition).distinct().select_related("framework")


def campaign_for(user, pk: int) -> tuple[Campaign, Standing]:
    """A campaign the user may open: 404 outside their organisations, 403 inside them
    without the right (staff, or a manager whose department it does not assess)."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("framework", "organisation"), pk=pk
    )
    standing = standing_in(user, campaign.organisation_id)
    if standing.can_manage:
        return campaign, standing
    if standing.is_manager and campaign.departments.filter(pk=standing.department_id).exists():
        return campaign, standing
    raise PermissionDenied


def department_for(user, pk: int, department_id: int) -> tuple[Campaign, Standing, Department]:
    """A department of a campaign whose results the user may read: org admins and
    consultants every department, a manager their own; 404 for a department outside the
    campaign, 403 for anybody else (``campaign_for``'s rules first)."""
    campaign, standing = campaign_for(user, pk)
    department = get_object_or_404(campaign.departments, pk=department_id)
    if not standing.can_manage and standing.department_id != department.pk:
        raise PermissionDenied
    return campaign, standing, department


def response_for_respondent(user, pk: int) -> Response:
    """A response its respondent is answering: 404 outside the user's organisations,
    403 for anybody else in the organisation.

    The respondent's own request (autosave's hot path) is settled in one query: the
    response with whether the user still belongs to (or consults for) its organisation.
    """
    organisation = OuterRef("campaign__organisation")
    response = (
        Response.objects.select_related(
            "campaign__framework", "campaign__organisation", "department"
        )
        .annotate(
            member=Exists(Membership.objects.filter(user_id=user.pk, organisation=organisation)),
            consults=Exists(
                ConsultantAccess.objects.filter(user_id=user.pk, organisation=organisation)
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if response is None:
        raise Http404
    if response.respondent_id == user.pk and (response.member or response.consults):
        return response
    standing_in(user, response.campaign.organisation_id)
    raise PermissionDenied


def response_for_manager(user, pk: int) -> Response:
    """A response an org admin or consultant of its organisation may act on (e.g. reopen)."""
    response = get_object_or_404(
        Response.objects.select_related("campaign", "department", "respondent"), pk=pk
    )
    if not standing_in(user, response.campaign.organisation_id).can_manage:
        raise PermissionDenied
    return response


def questionnaire(
    framework_id: int, function: str, business_model: str | None = None
) -> list[Dimension]:
    """The framework's dimensions, each with ``applicable_questions`` (with choices and
    stream) for a department of ``function`` in an organisation of ``business_model`` (None:
    whatever the model) and ``groups``: ``(stream or None, questions)``
    in stream order, questions without a stream first; three queries whatever the
    framework's size."""
    dimensions = list(
        Dimension.objects.filter(framework_id=framework_id)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("order")
                .select_related("stream")
                .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order"))),
            )
        )
    )
    for dimension in dimensions:
        questions = [q for q in dimension.questions.all() if q.applies_to(function, business_model)]
        # Answered once for the whole organisation, counted for this department: shown
        # beside the department's own, never asked of it (maturity.scopes).
        dimension.organisation_questions = [
            q
            for q in dimension.questions.all()
            if q.is_organisation_question
            and organisation_question_applies(
                q.functions, q.business_models, function=function, business_model=business_model
            )
        ]
        groups: dict = {}
        for question in questions:
            groups.setdefault(question.stream, []).append(question)
        ordered = sorted(groups.items(), key=lambda g: (g[0] is not None, g[0] and g[0].order))
        # The page numbers questions in the order it shows them, streams included.
        dimension.applicable_questions = [q for _stream, qs in ordered for q in qs]
        dimension.groups = ordered
    return [d for d in dimensions if d.applicable_questions]


def applicable_question_ids(
    framework_id: int, function: str, business_model: str | None = None
) -> list[int]:
    """Ids of the questions a department of ``function`` answers in an organisation of
    ``business_model`` (None: whatever the model), in one query."""
    rows = (
        Question.objects.filter(framework_id=framework_id)
        .order_by()
        .values_list("id", "functions", "business_models", "scope")
    )
    return [
        qid
        for qid, functions, models, scope in rows
        if question_applies(
            functions, models, function=function, business_model=business_model, scope=scope
        )
    ]


def organisation_questions(campaign: Campaign) -> list[Question]:
    """The campaign's questions of organisation scope (``maturity.scopes``) that apply to
    the organisation's business model, in the framework's order, each with its choices,
    its ``dimension`` and its ``answer`` (the organisation's ``OrganisationAnswer`` or
    None); two queries, plus one for the answers."""
    business_model = campaign.organisation.business_model
    questions = [
        q
        for q in Question.objects.filter(
            framework_id=campaign.framework_id, scope=QuestionScope.ORGANISATION
        )
        .select_related("dimension")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order")))
        .order_by("dimension__order", "order")
        if applies_to_model(q.business_models, business_model)
    ]
    answers = organisation_answers(campaign) if questions else {}
    for question in questions:
        question.answer = answers.get(question.pk)
    return questions


def organisation_question_counts(campaign: Campaign) -> tuple[int, int]:
    """(questions, answered) of the campaign's questions of organisation scope that apply
    to the organisation's business model, in one query (the campaign page's line)."""
    business_model = campaign.organisation.business_model
    rows = (
        Question.objects.filter(
            framework_id=campaign.framework_id, scope=QuestionScope.ORGANISATION
        )
        .annotate(
            answered=Exists(
                OrganisationAnswer.objects.filter(
                    campaign=campaign, question=OuterRef("pk")
                ).filter(Q(choice__isnull=False) | Q(is_na=True))
            )
        )
        .values_list("business_models", "answered")
    )
    applying = [answered for models, answered in rows if applies_to_model(models, business_model)]
    return len(applying), sum(applying)


def organisation_answers(campaign: Campaign) -> dict[int, OrganisationAnswer]:
    """The organisation's answers in ``campaign`` by question id, with the choice and who
    gave them, in one query."""
    return {
        a.question_id: a
        for a in OrganisationAnswer.objects.filter(campaign=campaign).select_related(
            "choice", "answered_by"
        )
    }


def answers_by_question(response: Response) -> dict[int, Answer]:
    return {answer.question_id: answer for answer in response.answers.all()}


def answered_count(response: Response) -> int:
    return response.answers.answered().count()


def campaign_progress(campaign: Campaign, *, department_id: int | None = None) -> list[dict]:
    """Completion per department and respondent, in a fixed number of queries."""
    departments = list(campaign.departments.order_by("name"))
    if department_id is not None:
        departments = [d for d in departments if d.pk == department_id]
    responses = (
        campaign.responses.filter(department__in=departments)
        .select_related("respondent", "invitation", "department")
        .annotate(answered=Count("answers", filter=Answer.answered_condition("answers__")))
        .order_by("department_id", "rater_role", "respondent__username")
    )
    questions = list(
        Question.objects.filter(framework_id=campaign.framework_id).values_list(
            "functions", "business_models", "scope"
        )
    )
    business_model = campaign.organisation.business_model
    totals = Counter()
    for department in departments:
        totals[department.pk] = sum(
            1
            for functions, models, scope in questions
            if question_applies(
                functions,
                models,
                function=department.function,
                business_model=business_model,
                scope=scope,
            )
        )
    by_department = defaultdict(list)
    for response in responses:
        response.total = totals[response.department_id]
        response.percent = round(100 * response.answered / response.total) if response.total else 0
        by_department[response.department_id].append(response)
    rows = []
    for department in departments:
        items = by_department[department.pk]
        submitted = sum(1 for r in items if r.is_submitted)
        rows.append(
            {
                "department": department,
                "responses": items,
                "submitted": submitted,
                "total": len(items),
                "percent": round(100 * submitted / len(items)) if items else 0,
            }
        )
    return rows


def responses_of(user) -> list[Response]:
    """The user's own responses in open or recent campaigns, newest first, with progress."""
    responses = list(
        Response.objects.filter(respondent=user)
        .select_related("campaign__organisation", "department")
        .annotate(answered=Count("answers", filter=Answer.answered_condition("answers__")))
        .order_by("-campaign__opens_on", "department__name")
    )
    framework_ids = {r.campaign.framework_id for r in responses}
    questions_by_framework = defaultdict(list)
    for framework_id, functions, models, scope in Question.objects.filter(
        framework_id__in=framework_ids
    ).values_list("framework_id", "functions", "business_models", "scope"):
        questions_by_framework[framework_id].append((functions, models, scope))
    for response in responses:
        function = response.department.function
        business_model = response.campaign.organisation.business_model
        response.total = sum(
            1
            for functions, models, scope in questions_by_framework[response.campaign.framework_id]
            if question_applies(
                functions, models, function=function, business_model=business_model, scope=scope
            )
        )
    return responses


def submitted_responses(campaign: Campaign, department) -> list[Response]:
    """The department's submitted responses (``department`` None: the campaign's)."""
    responses = Response.objects.filter(campaign=campaign, status=Response.Status.SUBMITTED)
    if department is not None:
        responses = responses.filter(department=department)
    return list(responses.select_related("respondent").order_by("rater_role", "id"))


def _readable(campaign: Campaign, department, viewer) -> tuple[dict[int, str], list[Response]]:
    """The department's submitted responses ``viewer`` may read, with their labels."""
    responses = submitted_responses(campaign, department)
    labels = privacy.respondent_labels(responses, privacy.disclosure(campaign), viewer)
    return labels, [r for r in responses if r.pk in labels]


def dimension_answers(campaign: Campaign, department, dimension, *, viewer) -> list[dict]:
    """Each submitted respondent's answers in one dimension, each line saying whether it
    counts toward the dimension mean (a choice, not N/A), as far as the anonymity rule lets
    ``viewer`` see them (``privacy.respondent_labels``); four queries. The mean itself is the
    scoring engine's (``results.explain``)."""
    labels, responses = _readable(campaign, department, viewer)
    questions = [
        q
        for q in Question.objects.filter(dimension=dimension).order_by("order")
        if q.applies_to(department.function, department.organisation.business_model)
    ]
    answers = {
        (a.response_id, a.question_id): a
        for a in Answer.objects.filter(
            response__in=responses, question__dimension=dimension
        ).select_related("choice")
    }
    out = []
    for response in responses:
        lines = []
        for question in questions:
            answer = answers.get((response.pk, question.pk))
            counted = answer is not None and answer.choice_id is not None and not answer.is_na
            lines.append({"question": question, "answer": answer, "counted": counted})
        out.append(
            {
                "response": response,
                "label": labels[response.pk],
                "rater_role": response.get_rater_role_display(),
                "lines": lines,
            }
        )
    return out


def department_comments(
    campaign: Campaign, department, *, viewer=None, cache: dict | None = None
) -> list[dict]:
    """Submitted comments and N/A reasons in a department, with their respondent's label, as
    far as the anonymity rule lets ``viewer`` (None: a document's reader) see them. With
    ``cache`` (a document's), the campaign's are read once and each department's taken from
    them."""
    if cache is None:
        return _comments(campaign, department, viewer)
    key = ("department comments", campaign.pk, getattr(viewer, "pk", None))
    if key not in cache:
        grouped: dict[int, list[dict]] = {}
        for row in _comments(campaign, None, viewer):
            grouped.setdefault(row["department_id"], []).append(row)
        cache[key] = grouped
    return cache[key].get(department.pk, [])


def _comments(campaign: Campaign, department, viewer) -> list[dict]:
    labels, responses = _readable(campaign, department, viewer)
    departments = {r.pk: r.department_id for r in responses}
    roles = {r.pk: r.get_rater_role_display() for r in responses}
    rows = (
        Answer.objects.filter(response__in=responses)
        .exclude(comment="", na_reason="")
        .select_related("question__dimension")
        # Respondents in a fixed order within a question: PostgreSQL returns ties in whatever
        # order the rows last moved to, so a page would reshuffle after unrelated saves.
        .order_by("question__dimension__order", "question__order", "response_id", "pk")
    )
    return [
        {
            "question": answer.question,
            "comment": answer.comment,
            "na_reason": answer.na_reason,
            "label": labels[answer.response_id],
            "rater_role": roles[answer.response_id],
            "department_id": departments[answer.response_id],
        }
        for answer in rows
    ]
