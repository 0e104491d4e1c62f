"""Learning pages: the module list (assigned first), a module, its quiz, team progress,
and proposing and assigning a learning path from a department's results."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from assessments.access import standings
from assessments.models import Membership, Organisation
from assessments.selectors import department_for
from assessments.templatetags.people import person
from results.loader import shown_results

from . import editions, exercises, services
from .forms import AssignPathForm, QuizForm
from .models import Module
from .rendering import render_markdown
from .selectors import (
    assigned_module_ids,
    assignments_of,
    can_facilitate,
    learner_organisation,
    modules,
    progress_by_module,
    proposed_modules,
    team_progress,
)

MONTH = datetime.timedelta(days=30)


@login_required
def module_list(request):
    organisation = learner_organisation(request.user)
    progress = progress_by_module(request.user, organisation)
    assignments = assignments_of(request.user)
    assigned = assigned_module_ids(assignments)
    items = [
        {"module": m, "progress": progress.get(m.pk), "assignment": assigned.get(m.pk)}
        for m in modules()
    ]
    items.sort(
        key=lambda i: (
            i["assignment"] is None,
            i["assignment"].due_on if i["assignment"] else None,
            i["module"].order,
        )
    )
    return render(
        request,
        "training/module_list.html",
        {
            "items": items,
            "assignments": assignments,
            "today": timezone.localdate(),
            "can_see_team": any(
                s.can_manage or s.is_manager for s in standings(request.user).values()
            ),
        },
    )


def _module(slug: str) -> Module:
    return get_object_or_404(
        Module.objects.prefetch_related("sections", "discussion", "dimensions"), slug=slug
    )


def _edition_parts(text: str, *, facilitator: bool) -> list[dict]:
    """``text`` rendered for one edition: participants get one run without the
    facilitator-only blocks; facilitators get every run, each marked as theirs or not."""
    if not facilitator:
        return [
            {"html": render_markdown(editions.participant_markdown(text)), "facilitator": False}
        ]
    return [
        {"html": render_markdown(part.text), "facilitator": part.facilitator}
        for part in editions.parts(text)
    ]


class ExerciseAnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=exercises.MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


@login_required
def module_detail(request, slug: str):
    """A module for its reader: the participant edition for everyone, the facilitator
    edition (answer keys, notes, quiz key) for org admins and consultants who ask for it.
    A participant writes their own exercise answer first; once it is submitted, the page
    shows it with the model answer and the exercise's answer key."""
    module = _module(slug)
    may_facilitate = can_facilitate(request.user)
    facilitator = request.GET.get("edition") == "facilitator"
    if facilitator and not may_facilitate:
        raise PermissionDenied
    # Opening a module is not reading it: read is recorded at its end (module_mark_read).
    organisation = learner_organisation(request.user)
    return _module_page(request, module, organisation=organisation, facilitator=facilitator)


@login_required
@require_POST
def module_mark_read(request, slug: str):
    """Record that the reader has read a module, for the organisation they learn for: sent by
    the page's script when its end comes into view, or by the 「読み終えた」 button without it.
    The script is answered in JSON; the button's form goes back to the page with a message."""
    module = get_object_or_404(Module, slug=slug)
    organisation = learner_organisation(request.user)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if organisation is None:
        message = _("Reading is recorded for members of an organisation only.")
        if wants_json:
            return JsonResponse(
                {"error": {"code": "no_organisation", "message": message}}, status=403
            )
        raise PermissionDenied(message)
    services.mark_read(user=request.user, organisation=organisation, module=module)
    progress = progress_by_module(request.user, organisation)[module.pk]
    if wants_json:
        return JsonResponse(
            {"read": True, "read_at": progress.read_at.isoformat(), "label": _("Read")}
        )
    messages.success(request, _("Marked as read."))
    return redirect(reverse("training:module-detail", args=[module.slug]) + "#read-end")


def _module_page(request, module, *, organisation, facilitator: bool, form=None, status=200):
    own_answer = exercises.exercise_answer_of(request.user, organisation, module)
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "facilitator": facilitator,
            "may_facilitate": can_facilitate(request.user),
            "sections": [
                {"title": s.title, "parts": _edition_parts(s.body, facilitator=facilitator)}
                for s in module.sections.all()
            ],
            "exercise": _edition_parts(module.exercise, facilitator=facilitator),
            "own_answer": own_answer,
            "answer_form": (
                form
                if form is not None
                else ExerciseAnswerForm(initial={"text": own_answer.text} if own_answer else None)
            ),
            "can_answer": organisation is not None,
            # Unlocked by the participant's own answer: the key, the model answer.
            "answer_key": (
                [render_markdown(block) for block in editions.facilitator_blocks(module.exercise)]
                if own_answer and not facilitator
                else []
            ),
            "model_answer": render_markdown(module.model_answer) if module.model_answer else "",
            "quiz_key": (
                list(module.quiz_questions.prefetch_related("choices")) if facilitator else []
            ),
            "progress": progress_by_module(request.user, organisation).get(module.pk),
        },
        status=status,
    )


@login_required
@require_POST
def module_exercise_answer(request, slug: str):
    """Submit one's own answer to a module's exercise (for the organisation one learns
    for); the module page then shows the model answer and the answer key."""
    module = _module(slug)
    organisation = learner_organisation(request.user)
    if organisation is None:
        raise PermissionDenied
    form = ExerciseAnswerForm(request.POST)
    if not form.is_valid():
        return _module_page(
            request, module, organisation=organisation, facilitator=False, form=form, status=400
        )
    exercises.submit_exercise_answer(
        user=request.user, organisation=organisation, module=module, text=form.cleaned_data["text"]
    )
    messages.success(request, _("Your answer is saved. Compare it with the model answer below."))
    return redirect(reverse("training:module-detail", args=[module.slug]) + "#exercise")


@login_required
def module_quiz(request, slug: str):
    module = get_object_or_404(Module, slug=slug)
    organisation = learner_organisation(request.user)
    form = QuizForm(request.POST or None, module=module)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.take_quiz(
            user=request.user, organisation=organisation, module=module, answers=form.answers()
        )
    return render(
        request,
        "training/quiz.html",
        {
            "module": module,
            "form": form,
            "result": result,
            "progress": progress_by_module(request.user, organisation).get(module.pk),
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


@login_required
def team_progress_view(request):
    """Managers see their department; org admins and consultants their organisations."""
    user_standings = standings(request.user)
    visible = [s for s in user_standings.values() if s.can_manage or s.is_manager]
    if not visible:
        raise PermissionDenied
    organisation_id = request.GET.get("organisation")
    standing = next((s for s in visible if str(s.organisation_id) == organisation_id), visible[0])
    organisation = Organisation.objects.get(pk=standing.organisation_id)
    department = None
    if not standing.can_manage:
        department = Membership.objects.get(user=request.user, organisation=organisation).department
    return render(
        request,
        "training/team_progress.html",
        {
            "organisation": organisation,
            "department": department,
            "choices": Organisation.objects.filter(pk__in=[s.organisation_id for s in visible]),
            **team_progress(organisation, department=department),
        },
    )


@login_required
def learning_path_view(request, pk: int, department_id: int):
    """Propose modules for a department's lowest dimensions and assign them to its members."""
    campaign, standing, department = department_for(request.user, pk, department_id)
    if not standing.can_manage and not standing.is_manager:
        raise PermissionDenied
    results = shown_results(campaign)  # the anonymity rule: no proposals from withheld scores
    proposals = proposed_modules(results, department.pk)
    members = list(
        Membership.objects.filter(organisation=campaign.organisation, department=department)
        .exclude(user=request.user)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "user__username")
    )
    form = AssignPathForm(
        request.POST or None,
        modules=Module.objects.all(),
        members=members,
        initial={
            "name": _("Learning path for %(department)s") % {"department": department.name},
            "modules": [p["module"].pk for p in proposals],
            "members": [str(m.user_id) for m in members if m.role == Membership.Role.STAFF],
            # A month after the close; a campaign that closes on 9999-12-31 has no such day.
            "due_on": min(campaign.closes_on, datetime.date.max - MONTH) + MONTH,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            path = services.create_and_assign_path(
                organisation=campaign.organisation,
                department=department,
                name=form.cleaned_data["name"],
                modules=list(form.cleaned_data["modules"].order_by("order")),
                users=form.chosen_users(),
                due_on=form.cleaned_data["due_on"],
                created_by=request.user,
                campaign=campaign,
            )
        except services.TrainingError as error:
            form.add_error(error.field, error.message)
        else:
            users = form.chosen_users()
            messages.success(
                request,
                # People by name (family name first), never by login name.
                ngettext(
                    "Assigned %(path)s to %(names)s.",
                    "Assigned %(path)s to %(count)d people: %(names)s.",
                    len(users),
                )
                % {
                    "path": path.name,
                    "count": len(users),
                    "names": pgettext("list separator", ", ").join(person(u) for u in users),
                },
            )
            return redirect("results:department", campaign.pk, department.pk)
    return render(
        request,
        "training/learning_path.html",
        {"campaign": campaign, "department": department, "proposals": proposals, "form": form},
    )
