from django.conf import settings
from django.shortcuts import redirect, render
from django.templatetags.static import static

from assessments.selectors import campaigns_for, responses_of
from maturity.models import Framework
from maturity.selectors import latest_published
from training.selectors import assignments_of


def home(request):
    """Tells each kind of user where to start; signed-in respondents see their assessments.

    The page speaks of the frameworks the user's campaigns use (their titles and
    descriptions), else of the default framework; its own words fit any framework."""
    context = {}
    frameworks = []
    if request.user.is_authenticated:
        context["my_responses"] = responses_of(request.user)
        context["campaigns"] = campaigns_for(request.user)[:5]
        context["assignments"] = assignments_of(request.user)
        ids = {r.campaign.framework_id for r in context["my_responses"]}
        ids |= {c.framework_id for c in context["campaigns"]}
        if ids:
            frameworks = list(
                Framework.objects.filter(pk__in=ids, status=Framework.Status.PUBLISHED).order_by(
                    "title", "-version"
                )
            )
    if not frameworks:
        default = latest_published(settings.DEFAULT_FRAMEWORK_SLUG)
        frameworks = [default] if default else []
    context["frameworks"] = frameworks
    context["framework"] = frameworks[0] if len(frameworks) == 1 else None
    return render(request, "home.html", context)


def favicon(request):
    """/favicon.ico, which browsers ask for before reading a page's icon link: the icon's
    static URL, resolved per request (the manifest storage knows it only after
    collectstatic)."""
    return redirect(static("favicon.svg"), permanent=True)
