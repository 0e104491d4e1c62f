"""Texts that exist in Japanese and English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Area,
    Choice,
    Dimension,
    DimensionLevel,
    Framework,
    Level,
    Question,
    Recommendation,
)


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("title", "description")


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
    fields = ("text", "acquisition_pole", "engagement_pole", "help_text")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("label",)
