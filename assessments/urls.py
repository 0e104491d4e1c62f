from django.urls import path, register_converter

from .views import campaigns, organisation, organisation_questions, questionnaire


class CodeConverter:
    """A framework code in a URL: case-preserved, with dots (``G-SM.1``), as format v2
    allows (letters, digits, ".", "_", "-")."""

    regex = r"[A-Za-z0-9._-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "code")

app_name = "assessments"
urlpatterns = [
    path("campaigns/", campaigns.campaign_list, name="campaign-list"),
    path(
        "organisations/<int:organisation_id>/settings/",
        organisation.organisation_settings,
        name="organisation-settings",
    ),
    path(
        "organisations/<int:organisation_id>/campaigns/new/",
        campaigns.campaign_create,
        name="campaign-create",
    ),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/status/", campaigns.campaign_status, name="campaign-status"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign-close"),
    path("campaigns/<int:pk>/remind/", campaigns.campaign_remind, name="campaign-remind"),
    path("campaigns/<int:pk>/deadline/", campaigns.campaign_deadline, name="campaign-deadline"),
    path(
        "campaigns/<int:pk>/organisation-questions/",
        organisation_questions.organisation_questions_page,
        name="organisation-questions",
    ),
    path(
        "campaigns/<int:pk>/respondents/add/",
        campaigns.campaign_add_respondent,
        name="campaign-add-respondent",
    ),
    path(
        "campaigns/<int:pk>/departments/<int:department_id>/rate/",
        campaigns.campaign_rate,
        name="campaign-rate",
    ),
    path("invitations/<str:token>/", questionnaire.invitation, name="invitation"),
    path("responses/<int:pk>/", questionnaire.response_resume, name="response-resume"),
    path(
        "responses/<int:pk>/d/<code:dimension_code>/",
        questionnaire.questionnaire_page,
        name="questionnaire",
    ),
    path("responses/<int:pk>/review/", questionnaire.response_review, name="response-review"),
    path("responses/<int:pk>/reopen/", campaigns.response_reopen, name="response-reopen"),
    path("responses/<int:pk>/resend/", campaigns.response_resend, name="response-resend"),
    path("responses/<int:pk>/remove/", campaigns.response_remove, name="response-remove"),
]
