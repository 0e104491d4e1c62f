from django.urls import path

from . import api, api_organisation

urlpatterns = [
    path("campaigns/", api.CampaignListView.as_view(), name="api-campaigns"),
    path("campaigns/<int:pk>/", api.CampaignDetailView.as_view(), name="api-campaign"),
    path(
        "campaigns/<int:pk>/organisation-questions/",
        api_organisation.OrganisationQuestionListView.as_view(),
        name="api-organisation-questions",
    ),
    path(
        "campaigns/<int:pk>/organisation-questions/<int:question_id>/",
        api_organisation.OrganisationAnswerView.as_view(),
        name="api-organisation-answer",
    ),
    path("responses/<int:pk>/", api.ResponseDetailView.as_view(), name="api-response"),
    path(
        "responses/<int:pk>/answers/<int:question_id>/",
        api.AnswerView.as_view(),
        name="api-answer",
    ),
    path(
        "responses/<int:pk>/submit/", api.ResponseSubmitView.as_view(), name="api-response-submit"
    ),
    path(
        "responses/<int:pk>/reopen/", api.ResponseReopenView.as_view(), name="api-response-reopen"
    ),
]
