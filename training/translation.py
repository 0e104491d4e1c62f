"""Training texts exist in Japanese and English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import DiscussionQuestion, Module, QuizChoice, QuizQuestion, Section


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title", "summary", "exercise")


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("title", "body")


@register(DiscussionQuestion)
class DiscussionQuestionTranslation(TranslationOptions):
    fields = ("text",)


@register(QuizQuestion)
class QuizQuestionTranslation(TranslationOptions):
    fields = ("text", "explanation")


@register(QuizChoice)
class QuizChoiceTranslation(TranslationOptions):
    fields = ("text",)
