"""Texts that exist in Japanese and English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    AnswerSet,
    Area,
    Choice,
    Dimension,
    DimensionLevel,
    Framework,
    Level,
    Question,
    Recommendation,
    Stream,
)


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("title", "description", "attribution", "instruction")


@register(Level)
class LevelTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(DimensionLevel)
class DimensionLevelTranslation(TranslationOptions):
    fields = ("description",)


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("text",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "acquisition_pole", "engagement_pole", "help_text", "guidance")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("label",)


@register(Stream)
class StreamTranslation(TranslationOptions):
    fields = ("title", "description")


@register(AnswerSet)
class AnswerSetTranslation(TranslationOptions):
    fields = ("title",)
