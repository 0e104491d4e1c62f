from django.urls import path

from . import api

urlpatterns = [
    path(
        "campaigns/<int:pk>/results/",
        api.CampaignResultsView.as_view(),
        name="api-campaign-results",
    ),
]
