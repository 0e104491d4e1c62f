from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from assessments.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("assessments.urls")),
    path("", include("training.urls")),
    path("", include("reports.urls")),
    path("frameworks/", include("maturity.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("maturity.api_urls")),
    path("api/v1/", include("assessments.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
