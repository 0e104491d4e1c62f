"""Read-only API over published frameworks (public, like the framework pages)."""

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .business_models import VARIANT_TEXTS, BusinessModel, applies, worded
from .functions import DepartmentFunction
from .models import Choice, Dimension, DimensionLevel, Framework, Level, Question, Stream
from .selectors import framework_with_content, published_frameworks


def _in_language(texts: dict) -> str:
    """A stored {language: text} mapping in the request language, else the first present."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return texts.get(language) or next((text for text in texts.values() if text), "")


class ReferenceSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=_("In the request language; empty when none."))
    url = serializers.URLField()

    def to_representation(self, instance):
        return {"title": _in_language(instance.get("title", {})), "url": instance["url"]}


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

    # Null where the question has no stream or answer set (allow_null puts that in the schema).
    stream = serializers.SlugRelatedField(
        read_only=True,
        allow_null=True,
        slug_field="code",
        help_text=_("The code of the question's stream."),
    )
    answer_set = serializers.SlugRelatedField(
        read_only=True,
        allow_null=True,
        slug_field="code",
        help_text=_("The code of the shared answer set."),
    )
    criteria = serializers.SerializerMethodField(
        help_text=_("Quality criteria, in the request language.")
    )
    references = ReferenceSerializer(many=True, read_only=True)
    business_models = serializers.ListField(
        child=serializers.ChoiceField(choices=BusinessModel.choices),
        help_text=_("Business models the question applies to; empty means every model."),
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "code",
            "stream",
            "level",
            "text",
            "acquisition_pole",
            "engagement_pole",
            "help_text",
            "guidance",
            "criteria",
            "references",
            "weight",
            "functions",
            "business_models",
            "allow_na",
            "answer_set",
            "value_min",
            "value_max",
            "choices",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_criteria(self, question: Question) -> list[str]:
        return [_in_language(item) for item in question.criteria]

    def to_representation(self, question: Question) -> dict:
        """With ``?business_model=``, the question worded for that model
        (``maturity.business_models.worded``): texts and choice labels."""
        data = super().to_representation(question)
        business_model = self.context.get("business_model")
        if business_model:
            wording = worded(question, business_model)
            for field in VARIANT_TEXTS:
                data[field] = getattr(wording, field)
            for choice, label in zip(data["choices"], wording.choice_labels, strict=True):
                choice["label"] = label
        return data


class _ApplicableQuestions(serializers.ListSerializer):
    """With ``?business_model=``, only the questions that apply to that model."""

    def to_representation(self, data):
        business_model = self.context.get("business_model")
        questions = data.all() if hasattr(data, "all") else data
        if business_model:
            questions = [q for q in questions if applies(q.business_models, business_model)]
        return super().to_representation(questions)


class DimensionLevelSerializer(serializers.ModelSerializer):
    recommendations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta:
        model = DimensionLevel
        fields = ["level", "description", "recommendations"]


class StreamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stream
        fields = ["code", "title", "description"]


class DimensionSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(read_only=True, allow_null=True, slug_field="code")
    streams = StreamSerializer(many=True)
    levels = DimensionLevelSerializer(many=True)
    questions = _ApplicableQuestions(child=QuestionSerializer())

    class Meta:
        model = Dimension
        fields = [
            "id",
            "code",
            "area",
            "title",
            "description",
            "weight",
            "streams",
            "levels",
            "questions",
        ]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["value", "title", "description"]


class FrameworkSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = [
            "id",
            "slug",
            "version",
            "version_label",
            "title",
            "description",
            "licence",
            "attribution",
            "source_url",
            "external_ids",
            "scale_min",
            "scale_max",
        ]
        extra_kwargs = {
            "version": {"help_text": _("The version's sequence number within its slug.")},
            "external_ids": {"help_text": _("Identifier scheme → identifier, e.g. doi → 10.…")},
        }


class FrameworkSerializer(FrameworkSummarySerializer):
    levels = LevelSerializer(many=True)
    dimensions = DimensionSerializer(many=True)

    class Meta(FrameworkSummarySerializer.Meta):
        fields = [
            *FrameworkSummarySerializer.Meta.fields,
            "show_step_numbers",
            "instruction",
            "levels",
            "dimensions",
        ]
        extra_kwargs = {
            **FrameworkSummarySerializer.Meta.extra_kwargs,
            "show_step_numbers": {
                "help_text": _("Whether respondents see question and choice step numbers.")
            },
            "instruction": {"help_text": _("The answering instruction shown above the questions.")},
        }


class BusinessModelQuery(serializers.Serializer):
    business_model = serializers.ChoiceField(
        choices=BusinessModel.choices,
        required=False,
        help_text=_(
            "Word the questions for this business model and list only those that apply to it."
        ),
    )


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

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve" and self.request is not None:
            query = BusinessModelQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            context["business_model"] = query.validated_data.get("business_model")
        return context

    @extend_schema(parameters=[BusinessModelQuery])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
