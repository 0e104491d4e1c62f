from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import set_language
from front.views import favicon, home

# Swagger UI (served from drf-spectacular-sidecar's static files) injects one <style> element;
# only this page allows inline style elements, scripts stay strict.
api_docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("", home, name="home"),
    # Browsers ask for /favicon.ico before they read a page's <link rel="icon">.
    path("favicon.ico", favicon),
    path("", include("assessments.urls")),
    path("", include("results.urls")),
    path("", include("training.urls")),
    path("", include("improvement.urls")),
    path("", include("reports.urls")),
    path("frameworks/", include("maturity.urls")),
    path("accounts/", include("accounts.urls")),
    # Django's language switch (django.conf.urls.i18n), remembering a signed-in choice.
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("maturity.api_urls")),
    path("api/v1/", include("assessments.api_urls")),
    path("api/v1/", include("results.api_urls")),
    path("api/v1/", include("improvement.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", api_docs, name="api-docs"),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
