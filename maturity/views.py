from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render

from .selectors import framework_with_content, latest_published, published_frameworks


def framework_default(request):
    """The default level check, presented publicly."""
    framework = latest_published(settings.DEFAULT_FRAMEWORK_SLUG)
    if framework is None:
        framework = published_frameworks().first()
    if framework is None:
        raise Http404("No published framework yet.")
    return redirect("maturity:framework-detail", slug=framework.slug)


def framework_detail(request, slug: str, version: int | None = None):
    """A published framework: its levels, dimensions, level descriptions and question poles."""
    frameworks = published_frameworks().filter(slug=slug)
    if version is not None:
        frameworks = frameworks.filter(version=version)
    framework = frameworks.first()
    if framework is None:
        raise Http404("No such published framework.")
    framework = framework_with_content(framework.pk)
    versions = published_frameworks().filter(slug=slug).values_list("version", flat=True)
    dimensions = list(framework.dimensions.all())
    return render(
        request,
        "maturity/framework_detail.html",
        {
            "framework": framework,
            "levels": list(framework.levels.all()),
            "dimensions": dimensions,
            "question_count": sum(len(d.questions.all()) for d in dimensions),
            "versions": list(versions),
            "is_latest": version is None,
        },
    )
