"""Module files: import, update, and every malformed kind refused with its path."""

import copy

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from maturity.framework_io import import_framework
from tests.training.conftest import META, english, write_module
from training.models import Module, QuizChoice, QuizQuestion, Section

pytestmark = pytest.mark.django_db


def test_it_imports_a_module_in_both_languages(tmp_path):
    write_module(tmp_path)
    call_command("import_modules", str(tmp_path))
    module = Module.objects.get(slug="ltv-basics")
    assert (module.title_ja, module.title_en, module.minutes, module.pass_mark) == (
        "LTVの基本",
        "LTV basics",
        20,
        80,
    )
    assert [s.title_ja for s in module.sections.all()] == ["はじめに", "計算式"]
    assert [s.title_en for s in module.sections.all()] == ["Introduction", "Formulas"]
    assert module.quiz_questions.count() == 5
    assert QuizChoice.objects.filter(is_correct=True).count() == 5
    assert sorted(module.dimensions.values_list("dimension_code", flat=True)) == ["data", "kpi"]


def test_reimporting_updates_in_place_and_skip_existing_keeps_edits(tmp_path):
    write_module(tmp_path)
    call_command("import_modules", str(tmp_path))
    module = Module.objects.get()
    module.title_ja = "管理画面で編集"
    module.save()
    call_command("import_modules", str(tmp_path), "--skip-existing")
    assert Module.objects.get().title_ja == "管理画面で編集"
    call_command("import_modules", str(tmp_path))
    assert Module.objects.get().pk == module.pk
    assert Module.objects.get().title_ja == "LTVの基本"
    assert Section.objects.count() == 2 and QuizQuestion.objects.count() == 5


def refused(tmp_path, *fragments):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_modules", str(tmp_path))
    message = str(excinfo.value)
    assert "nothing was imported" in message
    for fragment in fragments:
        assert fragment in message, message
    assert Module.objects.count() == 0


def test_it_refuses_a_missing_language(tmp_path):
    write_module(tmp_path, en=False)
    refused(tmp_path, "missing ltv-basics.en.md")


def test_it_refuses_a_file_without_header(tmp_path):
    write_module(tmp_path)
    (tmp_path / "ltv-basics.ja.md").write_text("## Only body\ntext\n", encoding="utf-8")
    refused(tmp_path, "must start with a '---' header")


def test_it_refuses_invalid_yaml_in_the_header(tmp_path):
    write_module(tmp_path)
    (tmp_path / "ltv-basics.ja.md").write_text(
        "---\ntitle: [x\n---\n## a\nb\n## c\nd\n", encoding="utf-8"
    )
    refused(tmp_path, "invalid YAML")


def test_it_refuses_an_answer_that_is_not_a_choice(tmp_path):
    meta = copy.deepcopy(META)
    meta["quiz"]["questions"][2]["answer"] = 7
    write_module(tmp_path, ja=meta, en=english(META))
    refused(tmp_path, "quiz.questions[2].answer: 7 is not the index of a choice")


def test_it_refuses_languages_that_disagree_on_the_answer(tmp_path):
    en = english(META)
    en["quiz"]["questions"][1]["answer"] = 2
    write_module(tmp_path, en=en)
    refused(tmp_path, "quiz.questions: differs between the ja and en files")


SHIPPED_CODES = (
    "customer-success, data, incentives, kpi, leadership, operations, organisation, talent, tools"
)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "ltv-basics.ja.md: dimensions[1].code: 'finance' is not a dimension of any framework "
            f"LevelCheck knows; use one of: {SHIPPED_CODES}",
        ),
        (
            "ja",
            "ltv-basics.ja.md: dimensions[1].code: 'finance' はLevelCheckのどのフレームワークにも"
            f"ない評価軸です。次のいずれかを使ってください: {SHIPPED_CODES}",
        ),
    ],
)
def test_it_refuses_an_unknown_dimension_in_the_learners_language(tmp_path, language, message):
    meta = copy.deepcopy(META)
    meta["dimensions"][1]["code"] = "finance"
    write_module(tmp_path, ja=meta, en=english(meta))
    with translation.override(language):
        refused(tmp_path, message)


def test_the_dimensions_are_those_of_the_shipped_framework_and_the_published_ones(
    tmp_path, framework_data
):
    meta = copy.deepcopy(META)
    meta["dimensions"] = [{"code": "finance", "levels": [1]}, {"code": "talent", "levels": [2]}]
    write_module(tmp_path, ja=meta, en=english(meta))
    framework_data["status"] = "draft"
    framework_data["dimensions"][0]["code"] = "finance"
    framework_data["dimensions"][0]["questions"][0]["code"] = "finance-q0"
    framework_data["dimensions"][0]["questions"][1]["code"] = "finance-q1"
    framework = import_framework(framework_data, source="own.yaml")
    refused(tmp_path, "dimensions[0].code: 'finance' ")  # a draft does not count
    framework.status = framework.Status.PUBLISHED
    framework.save()
    call_command("import_modules", str(tmp_path))
    codes = Module.objects.get().dimensions.values_list("dimension_code", flat=True)
    assert sorted(codes) == ["finance", "talent"]  # talent: only in the shipped framework


def test_it_refuses_a_short_quiz(tmp_path):
    meta = copy.deepcopy(META)
    meta["quiz"]["questions"] = meta["quiz"]["questions"][:4]
    write_module(tmp_path, ja=meta, en=english(meta))
    refused(tmp_path, "quiz.questions: needs at least 5 item(s), got 4")


def test_it_refuses_a_body_with_one_section(tmp_path):
    write_module(tmp_path, ja_body="\n## Only one\ntext\n")
    refused(tmp_path, "body: needs at least 2 sections")


def test_it_refuses_missing_fields_and_unknown_ones(tmp_path):
    meta = copy.deepcopy(META)
    del meta["exercise"]
    meta["author"] = "x"
    write_module(tmp_path, ja=meta, en=english(meta))
    refused(tmp_path, "missing required field 'exercise'", "unknown field: 'author'")


def test_one_bad_module_stops_the_whole_import(tmp_path):
    write_module(tmp_path, slug="good")
    meta = copy.deepcopy(META)
    meta["minutes"] = 0
    write_module(tmp_path, slug="bad", ja=meta, en=english(meta))
    refused(tmp_path, "minutes")


def test_the_shipped_modules_import(db):
    call_command("import_modules")
    assert Module.objects.count() >= 8
    for module in Module.objects.prefetch_related("quiz_questions", "discussion", "sections"):
        assert module.quiz_questions.count() >= 5, module.slug
        assert module.discussion.count() >= 3, module.slug
        assert module.exercise_ja and module.exercise_en, module.slug
        assert all(s.body_ja and s.body_en for s in module.sections.all()), module.slug
