"""Read-only API over published frameworks (public, like the framework pages)."""

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .functions import DepartmentFunction
from .models import Choice, Dimension, DimensionLevel, Framework, Level, Question
from .selectors import framework_with_content, published_frameworks


class ChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["id", "order", "label", "score"]


class QuestionSerializer(serializers.ModelSerializer):
    choices = ChoiceSerializer(many=True)
    # A list of function codes (the model's JSONField says nothing of its shape).
    functions = serializers.ListField(
        child=serializers.ChoiceField(choices=DepartmentFunction.choices),
        help_text=Question._meta.get_field("functions").help_text,
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "code",
            "text",
            "acquisition_pole",
            "engagement_pole",
            "help_text",
            "weight",
            "functions",
            "allow_na",
            "choices",
        ]


class DimensionLevelSerializer(serializers.ModelSerializer):
    recommendations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta:
        model = DimensionLevel
        fields = ["level", "description", "recommendations"]


class DimensionSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(read_only=True, slug_field="code")
    levels = DimensionLevelSerializer(many=True)
    questions = QuestionSerializer(many=True)

    class Meta:
        model = Dimension
        fields = ["id", "code", "area", "title", "description", "levels", "questions"]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["value", "title", "description"]


class FrameworkSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["id", "slug", "version", "title", "description", "scale_min", "scale_max"]


class FrameworkSerializer(FrameworkSummarySerializer):
    levels = LevelSerializer(many=True)
    dimensions = DimensionSerializer(many=True)

    class Meta(FrameworkSummarySerializer.Meta):
        fields = [*FrameworkSummarySerializer.Meta.fields, "levels", "dimensions"]


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Published framework versions. Texts follow the request language (Accept-Language)."""

    permission_classes = [AllowAny]
    filterset_fields = ["slug", "version"]

    def get_queryset(self):
        return published_frameworks()

    def get_serializer_class(self):
        return FrameworkSerializer if self.action == "retrieve" else FrameworkSummarySerializer

    def get_object(self):
        framework = super().get_object()
        return framework_with_content(framework.pk)
