"""Interview kits: the loader's errors (path and message), an idempotent import attached to
every version of the framework, the shipped kits, and the consultant's panel in the
questionnaire (shown to a consultant rating a department, never to a manager)."""

import copy
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments import services
from assessments.models import Response
from maturity.framework_file import FrameworkFileError
from maturity.interview_kit import guide_for, import_interview_kit, load_interview_kit
from maturity.models import InterviewGuide, LevelEvidence
from maturity.services import create_draft_version

KITS = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "interview"


def text(ja: str, en: str) -> dict:
    return {"ja": ja, "en": en}


KIT = {
    "format": "levelcheck-interview-kit/1",
    "framework": "sample",
    "dimensions": [
        {
            "code": "kpi",
            "documents": [text("部門目標の一覧", "The list of targets")],
            "questions": {
                "manager": [text("先月の解約率はいくつでしたか。", "What was last month's churn?")],
                "member": [text("毎週見る数字は何ですか。", "Which numbers do you see weekly?")],
                "customer": [text("成果を一緒に振り返りましたか。", "Did you review results?")],
            },
            "evidence": [
                {"level": 1, "statements": [text("目標は受注金額だけ。", "Only order value.")]},
                {
                    "level": 4,
                    "statements": [
                        text(
                            "直近6か月の解約率が週次のダッシュボードにある。",
                            "Six months of churn are on the weekly dashboard.",
                        )
                    ],
                },
            ],
        }
    ],
}


def kit_bytes(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def problems_of(data) -> list[str]:
    with pytest.raises(FrameworkFileError) as caught:
        load_interview_kit(kit_bytes(data), "kit.yaml")
    return [str(p) for p in caught.value.problems]


# ------------------------------------------------------------------ the loader


def test_it_reads_a_valid_kit():
    kit = load_interview_kit(kit_bytes(KIT), "kit.yaml")
    assert kit["framework"] == "sample"
    [kpi] = kit["dimensions"]
    assert kpi["questions"]["manager"] == [
        {"ja": "先月の解約率はいくつでしたか。", "en": "What was last month's churn?"}
    ]
    assert sorted(kpi["evidence"]) == [1, 4]


def test_it_names_a_missing_english_text_by_its_path():
    data = copy.deepcopy(KIT)
    del data["dimensions"][0]["evidence"][1]["statements"][0]["en"]
    assert problems_of(data) == [
        "dimensions[0].evidence[1].statements[0].en: expected a non-empty text"
    ]


def test_it_lists_every_problem_at_once():
    data = copy.deepcopy(KIT)
    data["format"] = "levelcheck-interview-kit/9"
    data["dimensions"][0]["documents"] = []
    data["dimensions"][0]["questions"]["board"] = [text("a", "b")]
    data["dimensions"][0]["evidence"].append({"level": 1, "statements": [text("a", "b")]})
    assert problems_of(data) == [
        "format: expected 'levelcheck-interview-kit/1'",
        "dimensions[0].questions.board: unknown audience; expected one of "
        "manager, member, customer",
        "dimensions[0].documents: expected a non-empty list of {ja, en} texts",
        "dimensions[0].evidence[2].level: level 1 is listed twice",
    ]


def test_it_requires_manager_questions_but_not_the_others():
    data = copy.deepcopy(KIT)
    del data["dimensions"][0]["questions"]["customer"]
    del data["dimensions"][0]["questions"]["member"]
    assert load_interview_kit(kit_bytes(data))["dimensions"][0]["questions"]["customer"] == []
    del data["dimensions"][0]["questions"]["manager"]
    assert problems_of(data) == [
        "dimensions[0].questions.manager: expected a non-empty list of {ja, en} texts"
    ]


def test_it_refuses_yaml_aliases_with_their_path():
    content = b"format: levelcheck-interview-kit/1\nframework: &s sample\ndimensions: *s\n"
    with pytest.raises(FrameworkFileError) as caught:
        load_interview_kit(content, "kit.yaml")
    assert str(caught.value) == (
        "kit.yaml: framework: YAML anchor '&s' at line 2, column 12: anchors (&name) and "
        "aliases (*name) are not allowed; write the content out in full"
    )


# ------------------------------------------------------------------ the import


def test_it_refuses_a_dimension_no_version_has(sample_framework):
    data = copy.deepcopy(KIT)
    data["dimensions"][0]["code"] = "leadership"
    with pytest.raises(FrameworkFileError) as caught:
        import_interview_kit(content=kit_bytes(data), source="kit.yaml")
    assert str(caught.value) == (
        "kit.yaml: dimensions[0].code: no version of 'sample' has a dimension 'leadership'"
    )
    assert not InterviewGuide.objects.exists()


def test_it_refuses_a_level_off_the_scale(sample_framework):
    data = copy.deepcopy(KIT)
    data["dimensions"][0]["evidence"][0]["level"] = 0  # the sample's scale is 1–5
    with pytest.raises(FrameworkFileError) as caught:
        import_interview_kit(content=kit_bytes(data), source="kit.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "dimensions[0].evidence[0].level: expected a level from 1 to 5, found 0"
    ]


def test_it_refuses_a_framework_that_is_not_imported(db):
    with pytest.raises(FrameworkFileError) as caught:
        import_interview_kit(content=kit_bytes(KIT), source="kit.yaml")
    assert (
        str(caught.value)
        == "kit.yaml: framework: no framework 'sample' is imported; import it first"
    )


def test_importing_twice_changes_nothing_and_reaches_every_version(sample_framework):
    draft = create_draft_version(framework=sample_framework)
    first = import_interview_kit(content=kit_bytes(KIT), source="kit.yaml")
    second = import_interview_kit(content=kit_bytes(KIT), source="kit.yaml")
    # One dimension (kpi) in each of the 2 versions; 2 levels each.
    assert first == second == {"framework": "sample", "versions": 2, "guides": 2, "evidence": 4}
    assert InterviewGuide.objects.count() == 2
    assert LevelEvidence.objects.count() == 4
    assert InterviewGuide.objects.filter(dimension__framework=draft, dimension__code="kpi").exists()


def test_a_new_import_replaces_the_levels_it_no_longer_lists(sample_framework):
    import_interview_kit(content=kit_bytes(KIT), source="kit.yaml")
    data = copy.deepcopy(KIT)
    data["dimensions"][0]["evidence"] = data["dimensions"][0]["evidence"][:1]
    import_interview_kit(content=kit_bytes(data), source="kit.yaml")
    assert list(LevelEvidence.objects.values_list("level", flat=True)) == [1]


def test_the_guide_is_read_in_the_language_asked(sample_framework):
    import_interview_kit(content=kit_bytes(KIT), source="kit.yaml")
    kpi = sample_framework.dimensions.get(code="kpi")
    guide = guide_for(kpi, "en")
    assert guide["questions"][0] == ("manager", ["What was last month's churn?"])
    assert guide["evidence"][1] == (
        4,
        "Level 4",
        ["Six months of churn are on the weekly dashboard."],
    )
    assert guide_for(sample_framework.dimensions.get(code="data")) is None


def test_the_command_reports_problems_with_path_and_imports_nothing(sample_framework, tmp_path):
    path = tmp_path / "sample.interview.yaml"
    data = copy.deepcopy(KIT)
    data["dimensions"][0]["documents"][0]["ja"] = " "
    path.write_bytes(kit_bytes(data))
    with pytest.raises(CommandError) as caught:
        call_command("import_interview_kit", str(path))
    assert f"{path}: dimensions[0].documents[0].ja: expected a non-empty text" in str(caught.value)
    assert not InterviewGuide.objects.exists()


# ------------------------------------------------------------------ the shipped kits


@pytest.mark.parametrize(
    ("name", "dimensions", "levels"),
    [("customer-engagement", 9, range(1, 6)), ("customer-data-maturity", 8, range(0, 4))],
)
def test_the_shipped_kits_cover_every_dimension_and_level(name, dimensions, levels):
    framework = yaml.safe_load(
        (Path(settings.BASE_DIR) / "maturity/frameworks" / f"{name}.yaml").read_text()
    )
    kit = load_interview_kit((KITS / f"{name}.interview.yaml").read_bytes(), name)
    assert kit["framework"] == framework["slug"]
    assert [d["code"] for d in kit["dimensions"]] == [d["code"] for d in framework["dimensions"]]
    assert len(kit["dimensions"]) == dimensions
    for dimension in kit["dimensions"]:
        assert sorted(dimension["evidence"]) == list(levels), dimension["code"]
        assert all(1 <= len(s) <= 3 for s in dimension["evidence"].values()), dimension["code"]
        assert len(dimension["documents"]) >= 4
        assert 3 <= len(dimension["questions"]["manager"]) <= 5
        if name == "customer-engagement":
            assert len(dimension["documents"]) <= 6
            assert 3 <= len(dimension["questions"]["member"]) <= 5
            assert 3 <= len(dimension["questions"]["customer"]) <= 5


# ------------------------------------------------------------------ the consultant's panel


@pytest.fixture
def with_kit(cast):
    import_interview_kit(content=kit_bytes(KIT), source="kit.yaml")
    return cast


def page(client, response):
    return client.get(reverse("assessments:questionnaire", args=[response.pk, "kpi"]))


def test_a_consultant_rating_a_department_sees_the_interview_guide(client, with_kit):
    consultant = services.add_respondent(
        campaign=with_kit.campaign,
        department=with_kit.sales,
        user=with_kit.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    client.force_login(with_kit.users.consultant)
    html = page(client, consultant).content.decode()
    assert "インタビューガイド" in html
    assert "先月の解約率はいくつでしたか。" in html
    assert "直近6か月の解約率が週次のダッシュボードにある。" in html
    pdf = reverse("reports:interview-guide", args=[with_kit.campaign.pk])
    assert f"{pdf}?department={with_kit.sales.pk}" in html


def test_a_manager_answering_the_same_page_does_not(client, with_kit):
    client.force_login(with_kit.users.manager)
    reply = page(client, with_kit.response)
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "先月の解約率はいくつでしたか。" not in html
    assert 'id="interview-guide"' not in html


def test_the_panel_links_to_the_departments_evidence_where_there_is_some(client, with_kit):
    from improvement.evidence.services import add_evidence

    consultant = services.add_respondent(
        campaign=with_kit.campaign,
        department=with_kit.sales,
        user=with_kit.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    question = with_kit.questions["kpi-q0"]
    services.save_answers(
        response=consultant,
        items=[
            services.AnswerInput(question_id=question.pk, choice_id=question.choices.first().pk)
        ],
    )
    add_evidence(
        campaign=with_kit.campaign,
        department=with_kit.sales,
        answer=consultant.answers.get(question=question),
        kind="text",
        title="KPI sheet",
        text="The weekly dashboard",
        by=with_kit.users.consultant,
    )
    # The manager's own evidence is not counted: whether it is shown follows the anonymity
    # rule, which the evidence page applies.
    services.save_answers(
        response=with_kit.response,
        items=[
            services.AnswerInput(question_id=question.pk, choice_id=question.choices.first().pk)
        ],
    )
    add_evidence(
        campaign=with_kit.campaign,
        department=with_kit.sales,
        answer=with_kit.response.answers.get(question=question),
        kind="text",
        title="Manager's sheet",
        text="Our own sheet",
        by=with_kit.users.manager,
    )
    client.force_login(with_kit.users.consultant)
    html = page(client, consultant).content.decode()
    queue = reverse("improvement:evidence", args=[with_kit.campaign.pk])
    assert f"{queue}?department={with_kit.sales.pk}" in html
    assert "この部門のこの評価軸のエビデンス：1件" in html
