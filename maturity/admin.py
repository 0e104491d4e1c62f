"""Admin for authoring frameworks: framework → dimensions (→ streams) → questions → choices.

Published versions are shown read-only; "new draft version" starts an editable copy. A
format v2 framework's answer sets are shown read-only: each question keeps its own copy of
the set's choices, so a set is changed by importing a new version of the file.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .framework_file import FrameworkFileError, size_problem
from .framework_io import dump_framework_yaml, export_framework
from .models import (
    AnswerSet,
    Area,
    Choice,
    Dimension,
    DimensionLevel,
    Framework,
    InterviewGuide,
    Level,
    LevelEvidence,
    Question,
    Recommendation,
    Stream,
)
from .services import create_draft_version, import_framework_file, publish_framework


def _is_frozen(obj) -> bool:
    if obj is None:
        return False
    framework = obj if isinstance(obj, Framework) else obj.get_framework()
    return framework.is_published


class FrozenWhenPublished:
    """Admin permissions that make every object of a published framework view-only."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_frozen(obj)

    def has_add_permission(self, request, obj=None):
        # ModelAdmin.has_add_permission takes no obj; inlines pass the parent object.
        args = (request, obj) if isinstance(self, admin.options.InlineModelAdmin) else (request,)
        return super().has_add_permission(*args) and not _is_frozen(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New content can only be attached to drafts.
        if db_field.related_model is Framework:
            kwargs["queryset"] = Framework.objects.filter(status=Framework.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LevelInline(FrozenWhenPublished, TranslationTabularInline):
    model = Level
    extra = 0


class AreaInline(FrozenWhenPublished, TranslationTabularInline):
    model = Area
    extra = 0


class DimensionInline(FrozenWhenPublished, TranslationTabularInline):
    model = Dimension
    fields = ["order", "code", "area", "title", "weight"]
    extra = 0
    show_change_link = True


class AnswerSetInline(TranslationTabularInline):
    model = AnswerSet
    fields = ["order", "code", "title", "value_min", "value_max", "choice_values"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("values"))
    def choice_values(self, obj) -> str:
        return " / ".join(str(choice["value"]) for choice in obj.choices)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label=_("Framework file (YAML)"))
    dry_run = forms.BooleanField(
        label=_("Only check the file; import nothing"), required=False, initial=False
    )


@admin.register(Framework)
class FrameworkAdmin(FrozenWhenPublished, TranslationAdmin):
    list_display = [
        "title",
        "slug",
        "version",
        "version_label",
        "status",
        "scale_min",
        "scale_max",
        "published_at",
    ]
    list_filter = ["status", "slug", "file_format"]
    search_fields = ["slug", "version_label", "title_ja", "title_en"]
    readonly_fields = ["file_format", "published_at", "created_at"]
    inlines = [LevelInline, AreaInline, AnswerSetInline, DimensionInline]
    actions = ["publish", "new_draft_version", "download_yaml"]
    change_list_template = "admin/maturity/framework/change_list.html"
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}
    }

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="maturity_framework_import",
            )
        ]
        return urls + super().get_urls()

    def import_view(self, request):
        """Upload a framework file; show every problem with its path, or import it."""
        if not self.has_add_permission(request):
            return redirect("admin:maturity_framework_changelist")
        problems, summary = None, None
        form = FrameworkImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                # Checked before reading: an upload is held in memory once read.
                if too_large := size_problem(upload.size):
                    raise FrameworkFileError(upload.name, [too_large])
                summary = import_framework_file(
                    content=upload.read(),
                    source=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except FrameworkFileError as exc:
                problems = exc.problems
            else:
                if summary["framework"] is not None:
                    framework = summary["framework"]
                    self.message_user(
                        request,
                        _("Imported %(framework)s.") % {"framework": framework.label},
                        messages.SUCCESS,
                    )
                    return redirect("admin:maturity_framework_change", framework.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a framework file"),
            "form": form,
            "problems": problems,
            "summary": summary,
        }
        return TemplateResponse(request, "admin/maturity/framework/import.html", context)

    @admin.action(description=_("Publish the selected drafts (freezes them)"))
    def publish(self, request, queryset):
        for framework in queryset:
            try:
                publish_framework(framework=framework)
            except FrameworkFileError as exc:
                self.message_user(
                    request,
                    _("%(framework)s was not published: %(problems)s")
                    % {"framework": framework.label, "problems": exc.render(limit=5)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("Published %(f)s.") % {"f": framework.label}, messages.SUCCESS
                )

    @admin.action(description=_("Start a new draft version from the selected framework"))
    def new_draft_version(self, request, queryset):
        for framework in queryset:
            draft = create_draft_version(framework=framework)
            self.message_user(
                request, _("Created draft %(f)s.") % {"f": draft.label}, messages.SUCCESS
            )

    @admin.action(description=_("Download as a framework file (YAML)"))
    def download_yaml(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one framework."), messages.WARNING)
            return None
        framework = queryset.get()
        response = HttpResponse(
            dump_framework_yaml(export_framework(framework)),
            content_type="application/yaml; charset=utf-8",
        )
        filename = f"{framework.slug}-v{framework.display_version}.yaml"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class DimensionLevelInline(FrozenWhenPublished, TranslationTabularInline):
    model = DimensionLevel
    extra = 0
    show_change_link = True


class StreamInline(FrozenWhenPublished, TranslationTabularInline):
    model = Stream
    fields = ["order", "code", "title", "description"]
    extra = 0


class QuestionInline(FrozenWhenPublished, TranslationTabularInline):
    model = Question
    fields = ["order", "code", "stream", "level", "text", "weight", "allow_na"]
    extra = 0
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A question's stream is one of its own dimension's.
        field = formset.form.base_fields.get("stream")
        if field is not None:
            field.queryset = Stream.objects.filter(dimension=obj) if obj else Stream.objects.none()
        return formset


@admin.register(Dimension)
class DimensionAdmin(FrozenWhenPublished, TranslationAdmin):
    list_display = ["title", "code", "framework", "area", "order", "weight"]
    list_filter = ["framework"]
    search_fields = ["code", "title_ja", "title_en"]
    list_select_related = ["framework", "area"]
    inlines = [StreamInline, DimensionLevelInline, QuestionInline]

    def save_formset(self, request, form, formset, change):
        # Questions carry their framework (for per-framework unique codes); keep it in step.
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Question):
                instance.framework_id = form.instance.framework_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class RecommendationInline(FrozenWhenPublished, TranslationTabularInline):
    model = Recommendation
    extra = 0


@admin.register(DimensionLevel)
class DimensionLevelAdmin(FrozenWhenPublished, TranslationAdmin):
    list_display = ["dimension", "level"]
    list_filter = ["dimension__framework"]
    list_select_related = ["dimension__framework"]
    inlines = [RecommendationInline]


class ChoiceInline(FrozenWhenPublished, TranslationTabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(FrozenWhenPublished, TranslationAdmin):
    list_display = ["code", "text", "dimension", "stream", "level", "weight", "allow_na"]
    list_filter = ["framework", "dimension", "allow_na"]
    search_fields = ["code", "text_ja", "text_en"]
    list_select_related = ["dimension", "framework", "stream"]
    # The answer set is the file's identity for the choices below; changing it here would
    # not change them.
    readonly_fields = ["answer_set"]
    inlines = [ChoiceInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "stream" in form.base_fields:
            form.base_fields["stream"].queryset = (
                Stream.objects.filter(dimension=obj.dimension) if obj else Stream.objects.none()
            )
        return form

    def save_model(self, request, obj, form, change):
        obj.framework_id = obj.dimension.framework_id
        super().save_model(request, obj, form, change)


class LevelEvidenceInline(admin.TabularInline):
    model = LevelEvidence
    extra = 0


@admin.register(InterviewGuide)
class InterviewGuideAdmin(admin.ModelAdmin):
    """Interview kits are imported from ``<slug>.interview.yaml`` (``import_interview_kit``);
    the admin shows them and allows a quick correction."""

    list_display = ("__str__",)
    list_filter = ("dimension__framework__slug",)
    inlines = [LevelEvidenceInline]
    raw_id_fields = ("dimension",)
