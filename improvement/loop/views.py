"""The loop page of one department: its gap → actions → training → change, on its own."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.selectors import department_for
from results.loader import shown_results


@login_required
def department_loop_view(request, pk: int, department_id: int):
    campaign, standing, department = department_for(request.user, pk, department_id)
    return render(
        request,
        "improvement/loop/department.html",
        {
            "campaign": campaign,
            "department": department,
            "can_manage": standing.can_manage,
            "results": shown_results(campaign),
            "loop_every_step": True,
        },
    )
