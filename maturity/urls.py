from django.urls import path

from . import views

app_name = "maturity"
urlpatterns = [
    path("", views.framework_default, name="framework-default"),
    path("<slug:slug>/", views.framework_detail, name="framework-detail"),
    path("<slug:slug>/v<int:version>/", views.framework_detail, name="framework-version"),
]
