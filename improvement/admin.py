from django import forms
from django.contrib import admin
from django.db import models

from .models import Action, ActionEvent, Commentary, Evidence, Milestone


class ActionEventInline(admin.TabularInline):
    model = ActionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "by", "at", "changes")


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "campaign",
        "department",
        "dimension_code",
        "status",
        "owner",
        "due_on",
    )
    list_filter = ("status", "campaign__organisation")
    search_fields = ("title",)
    inlines = [ActionEventInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    # A bare "example.com" is read as https (Django 6's default, without its warning).
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}
    }
    list_display = ("title", "kind", "status", "version", "is_current", "department", "owner")
    list_filter = ("status", "kind", "is_current")


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("name", "campaign", "taken_on")

    def has_change_permission(self, request, obj=None):
        return False  # immutable once taken


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ("campaign", "department", "status", "updated_at")
