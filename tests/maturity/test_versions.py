"""Published versions are immutable; new versions start as draft copies."""

import pytest

from maturity.framework_file import FrameworkFileError
from maturity.framework_io import dump_framework_yaml, export_framework
from maturity.models import (
    Choice,
    Dimension,
    DimensionLevel,
    Framework,
    PublishedFrameworkError,
    Question,
    Recommendation,
)
from maturity.services import create_draft_version, publish_framework

pytestmark = pytest.mark.django_db


def test_it_publishes_with_a_timestamp(sample_framework):
    assert sample_framework.is_published
    assert sample_framework.published_at is not None


@pytest.mark.parametrize(
    "model",
    [Framework, Dimension, DimensionLevel, Recommendation, Question, Choice],
)
def test_it_refuses_changes_to_published_content(sample_framework, model):
    obj = model.objects.first()
    with pytest.raises(PublishedFrameworkError, match="公開済みのため変更できません"):
        obj.save()


def test_it_refuses_deleting_published_content(sample_framework):
    with pytest.raises(PublishedFrameworkError):
        Choice.objects.first().delete()
    assert Choice.objects.count() == 12


def test_it_refuses_adding_to_a_published_framework(sample_framework):
    dimension = sample_framework.dimensions.first()
    with pytest.raises(PublishedFrameworkError):
        Question.objects.create(
            framework=sample_framework,
            dimension=dimension,
            code="new",
            text_ja="新しい質問",
            acquisition_pole_ja="a",
            engagement_pole_ja="b",
        )


def test_a_new_version_is_an_editable_draft_copy(sample_framework):
    draft = create_draft_version(framework=sample_framework)
    assert (draft.slug, draft.version, draft.status) == ("sample", 2, Framework.Status.DRAFT)
    original, copy = export_framework(sample_framework), export_framework(draft)
    assert {**copy, "version": 1, "status": "published"} == original
    question = draft.questions.get(code="kpi-q0")
    question.text_en = "Edited in the draft"
    question.save()
    assert sample_framework.questions.get(code="kpi-q0").text_en == "kpi question 0"


def test_publishing_a_draft_freezes_it(sample_framework):
    draft = create_draft_version(framework=sample_framework)
    publish_framework(framework=draft)
    draft.refresh_from_db()
    assert draft.is_published
    with pytest.raises(PublishedFrameworkError):
        draft.dimensions.first().save()


def test_publishing_refuses_an_inconsistent_draft(sample_framework):
    draft = create_draft_version(framework=sample_framework)
    DimensionLevel.objects.filter(dimension__framework=draft, level=3).first().delete()
    with pytest.raises(FrameworkFileError, match=r"dimensions\[0\].levels: missing level\(s\) 3"):
        publish_framework(framework=draft)
    draft.refresh_from_db()
    assert draft.status == Framework.Status.DRAFT


def test_missing_translations_fall_back_to_the_other_language(sample_framework):
    from django.utils import translation

    dimension = sample_framework.dimensions.first()
    draft = create_draft_version(framework=sample_framework)
    draft_dimension = draft.dimensions.get(code=dimension.code)
    draft_dimension.title_en = ""
    draft_dimension.save()
    with translation.override("en"):
        assert draft_dimension.title == "kpiの軸"
        assert dimension.title == "kpi axis"
    with translation.override("ja"):
        assert dimension.title == "kpiの軸"


def test_the_export_of_a_copy_differs_only_in_version_and_status(sample_framework):
    draft = create_draft_version(framework=sample_framework)
    first = dump_framework_yaml(export_framework(sample_framework)).splitlines()
    second = dump_framework_yaml(export_framework(draft)).splitlines()
    assert [a for a, b in zip(first, second, strict=True) if a != b] == [
        "version: 1",
        "status: published",
    ]
