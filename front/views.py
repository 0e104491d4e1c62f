from django.conf import settings
from django.shortcuts import render

from assessments.selectors import campaigns_for, responses_of
from maturity.selectors import latest_published
from training.selectors import assignments_of


def home(request):
    """Tells each kind of user where to start; signed-in respondents see their assessments."""
    context = {"framework": latest_published(settings.DEFAULT_FRAMEWORK_SLUG)}
    if request.user.is_authenticated:
        context["my_responses"] = responses_of(request.user)
        context["campaigns"] = campaigns_for(request.user)[:5]
        context["assignments"] = assignments_of(request.user)
    return render(request, "home.html", context)
