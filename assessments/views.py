from django.conf import settings
from django.shortcuts import render

from maturity.selectors import latest_published


def home(request):
    """Tells each kind of user (manager, consultant, staff) where to start."""
    return render(
        request,
        "home.html",
        {"framework": latest_published(settings.DEFAULT_FRAMEWORK_SLUG)},
    )
