from django.contrib import admin

from .models import (
    Answer,
    Campaign,
    ConsultantAccess,
    Department,
    Invitation,
    Membership,
    Organisation,
    Response,
)


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class ConsultantAccessInline(admin.TabularInline):
    model = ConsultantAccess
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline, MembershipInline, ConsultantAccessInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "department", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    list_select_related = ["user", "organisation", "department"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "framework", "status", "opens_on", "closes_on"]
    list_filter = ["status", "organisation"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation", "framework"]
    filter_horizontal = ["departments"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["question", "choice"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["campaign", "department", "respondent", "rater_role", "status", "submitted_at"]
    list_filter = ["status", "rater_role", "campaign__organisation"]
    search_fields = ["respondent__username", "department__name", "campaign__name"]
    list_select_related = ["campaign", "department", "respondent"]
    inlines = [AnswerInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["response", "sent_at", "reminded_at", "opened_at"]
    readonly_fields = ["token"]
    list_select_related = ["response__campaign", "response__department", "response__respondent"]
