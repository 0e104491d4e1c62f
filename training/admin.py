from django.contrib import admin
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from .models import (
    Assignment,
    DiscussionQuestion,
    ExerciseAnswer,
    LearningPath,
    LearningPathItem,
    Module,
    ModuleDimension,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    Section,
)


class SectionInline(TranslationStackedInline):
    model = Section
    extra = 0


class DiscussionInline(TranslationTabularInline):
    model = DiscussionQuestion
    extra = 0


class ModuleDimensionInline(admin.TabularInline):
    model = ModuleDimension
    extra = 0


class QuizQuestionInline(TranslationStackedInline):
    model = QuizQuestion
    extra = 0
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(TranslationAdmin):
    """Edited texts are Markdown; they are sanitised whenever they are shown."""

    list_display = ["title", "slug", "order", "minutes", "pass_mark", "updated_at"]
    search_fields = ["slug", "title_ja", "title_en"]
    inlines = [ModuleDimensionInline, SectionInline, DiscussionInline, QuizQuestionInline]


class QuizChoiceInline(TranslationTabularInline):
    model = QuizChoice
    extra = 0


@admin.register(QuizQuestion)
class QuizQuestionAdmin(TranslationAdmin):
    list_display = ["text", "module", "order"]
    list_filter = ["module"]
    inlines = [QuizChoiceInline]


class LearningPathItemInline(admin.TabularInline):
    model = LearningPathItem
    extra = 0


@admin.register(LearningPath)
class LearningPathAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "department", "created_at"]
    list_filter = ["organisation"]
    inlines = [LearningPathItemInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["path", "user", "due_on"]
    list_select_related = ["path", "user"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "module", "score", "passed", "created_at"]
    list_filter = ["passed", "module"]
    list_select_related = ["user", "module"]


@admin.register(ExerciseAnswer)
class ExerciseAnswerAdmin(admin.ModelAdmin):
    """A participant's own answer to a module's exercise (what unlocks its model answer)."""

    list_display = ("module", "user", "organisation", "submitted_at")
    list_filter = ("organisation", "module")
    search_fields = ("user__username", "user__last_name", "user__first_name", "text")
    raw_id_fields = ("user",)
