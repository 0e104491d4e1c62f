"""Study sessions that run: objectives, pre-work and model answers in module files; a
participant's own exercise answer before the model answer and the answer key; every dimension
of the default framework served by at least two shipped modules; agendas that fit."""

import copy
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from reports.handout import agenda
from tests.matrix import as_role, check, matrix
from tests.training.conftest import META, english, write_module
from training.editions import facilitator_blocks, participant_markdown
from training.models import ExerciseAnswer, Module
from training.module_files import ModuleFileError, load_module_pair, module_slugs, parse_module_file
from training.selectors import _shipped_dimension_codes

CONTENT = Path(__file__).resolve().parents[2] / "training" / "content"
FRAMEWORK_CODES = (
    "kpi",
    "incentives",
    "tools",
    "data",
    "organisation",
    "operations",
    "customer-success",
    "talent",
    "leadership",
)
NEW_MODULES = (
    "talent-development",
    "customer-engagement-and-loyalty",
    "customer-agreements-and-voc",
    "business-phase-and-growth",
)
STUDY = {
    "objectives": ["LTVを2つの式で計算できる", "解約率の違いを説明できる"],
    "prework": "セクションを読み、演習の答えを提出してください。",
    "prework_minutes": 15,
    "model_answer": "**模範解答**：MODEL-ANSWER-7",
}
STUDY_EN = {
    "objectives": ["Work out LTV two ways", "Explain the churn measures"],
    "prework": "Read the sections and submit your exercise answer.",
    "prework_minutes": 15,
    "model_answer": "**Model answer:** MODEL-ANSWER-EN",
}


def with_study(meta, study):
    return {**copy.deepcopy(meta), **copy.deepcopy(study)}


def problems_of(tmp_path, ja, en):
    write_module(tmp_path, ja=ja, en=en)
    with pytest.raises(ModuleFileError) as excinfo:
        load_module_pair(tmp_path, "ltv-basics", dimension_codes={"kpi", "data"})
    return [(p.path, p.message) for p in excinfo.value.problems]


# ------------------------------------------------------------------ the format


def test_a_module_without_study_fields_stays_valid(tmp_path):
    write_module(tmp_path)
    texts = load_module_pair(tmp_path, "ltv-basics", dimension_codes={"kpi", "data"})
    assert "objectives" not in texts["ja"].meta


def test_pre_work_without_its_minutes_is_refused_with_its_path(tmp_path):
    ja = with_study(META, STUDY)
    del ja["prework_minutes"]
    en = with_study(english(META), STUDY_EN)
    del en["prework_minutes"]
    problems = problems_of(tmp_path, ja, en)
    assert ("prework_minutes", "missing: say how many minutes the pre-work takes") in problems


def test_minutes_without_pre_work_are_refused_with_its_path(tmp_path):
    ja = with_study(META, STUDY)
    del ja["prework"]
    problems = problems_of(tmp_path, ja, with_study(english(META), STUDY_EN))
    assert ("prework", "missing: prework_minutes needs the pre-work text (Markdown)") in problems


def test_objectives_must_be_a_list_of_texts(tmp_path):
    ja = with_study(META, {**STUDY, "objectives": "LTVを計算できる"})
    problems = problems_of(tmp_path, ja, with_study(english(META), STUDY_EN))
    assert [path for path, _ in problems] == ["objectives"]
    assert "array" in problems[0][1] or "list" in problems[0][1]


def test_the_languages_must_agree_on_pre_work_minutes_and_objectives(tmp_path):
    ja = with_study(META, STUDY)
    en = with_study(english(META), {**STUDY_EN, "prework_minutes": 20, "objectives": ["One"]})
    problems = dict(problems_of(tmp_path, ja, en))
    assert problems["prework_minutes"] == "differs between the ja and en files: 15 vs 20"
    assert problems["objectives"] == "differs between the ja and en files: 2 vs 1"


def test_the_import_stores_the_study_fields_per_language(db, tmp_path):
    write_module(tmp_path, ja=with_study(META, STUDY), en=with_study(english(META), STUDY_EN))
    call_command("import_modules", str(tmp_path))
    module = Module.objects.get(slug="ltv-basics")
    assert module.prework_minutes == 15
    assert module.total_minutes == 20 + 15
    assert module.objectives_ja == STUDY["objectives"]
    with translation.override("en"):
        assert module.objectives == STUDY_EN["objectives"]
        assert module.model_answer == "**Model answer:** MODEL-ANSWER-EN"
    with translation.override("ja"):
        assert module.prework == STUDY["prework"]


# ------------------------------------------------------------------ the module page

EXERCISE = "Task for everyone.\n\n::: facilitator\nSECRET-KEY-42\n:::"


@pytest.fixture
def study_module(db):
    return Module.objects.create(
        slug="m",
        title="M",
        summary="S",
        minutes=30,
        order=1,
        exercise=EXERCISE,
        model_answer_ja="MODEL-ANSWER-7",
        model_answer_en="MODEL-ANSWER-7",
        prework_ja="Read first.",
        prework_minutes=10,
    )


def page(client, edition=""):
    url = reverse("training:module-detail", args=["m"]) + edition
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def submit(client, text="My own answer: 3%"):
    return client.post(reverse("training:module-exercise-answer", args=["m"]), {"text": text})


def test_the_participant_sees_the_key_only_after_submitting_their_own(client, cast, study_module):
    client.force_login(cast.users.staff)
    before = page(client)
    assert "Task for everyone." in before
    assert "SECRET-KEY-42" not in before and "MODEL-ANSWER-7" not in before
    assert 'name="text"' in before  # the form to write one's own answer

    response = submit(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:module-detail", args=["m"]) + "#exercise"
    answer = ExerciseAnswer.objects.get()
    assert (answer.user, answer.organisation, answer.text) == (
        cast.users.staff,
        cast.acme,
        "My own answer: 3%",
    )

    after = page(client)
    assert "My own answer: 3%" in after
    assert "SECRET-KEY-42" in after and "MODEL-ANSWER-7" in after


def test_a_second_submission_replaces_the_first(client, cast, study_module):
    client.force_login(cast.users.staff)
    submit(client, "first")
    submit(client, "second")
    assert list(ExerciseAnswer.objects.values_list("text", flat=True)) == ["second"]


def test_an_empty_answer_is_refused_and_unlocks_nothing(client, cast, study_module):
    client.force_login(cast.users.staff)
    response = submit(client, "   ")
    assert response.status_code == 400
    assert "SECRET-KEY-42" not in response.content.decode()
    assert not ExerciseAnswer.objects.exists()


def test_one_learners_answer_unlocks_nothing_for_another(
    client, cast, study_module, django_user_model
):
    from assessments.models import Membership

    client.force_login(cast.users.staff)
    submit(client)
    colleague = django_user_model.objects.create_user("colleague", password="x")
    Membership.objects.create(
        user=colleague, organisation=cast.acme, department=cast.sales, role="staff"
    )
    client.force_login(colleague)
    html = page(client)
    assert "SECRET-KEY-42" not in html and "My own answer" not in html


def test_the_facilitator_sees_key_and_model_answer_without_submitting(client, cast, study_module):
    client.force_login(cast.users.org_admin)
    html = page(client, "?edition=facilitator")
    assert "SECRET-KEY-42" in html and "MODEL-ANSWER-7" in html
    assert not ExerciseAnswer.objects.exists()


def test_the_page_states_pre_work_and_session_minutes(client, cast, study_module):
    client.force_login(cast.users.staff)
    with translation.override("en"):
        html = client.get(
            reverse("training:module-detail", args=["m"]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "pre-work 10 min + session 30 min" in html
    assert "Read first." in html


# Anyone who learns for an organisation (a membership) may submit their own answer, in that
# organisation; a consultant or a user without membership has no learner organisation: 403.
SUBMITTERS = ("org_admin", "manager", "other_manager", "staff", "outsider")


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        {
            **{role: 302 for role in SUBMITTERS},
            "consultant": 403,
            "consultant_without_access": 403,
            "nobody": 403,
        }
    ),
)
def test_who_may_submit_an_exercise_answer(client, cast, study_module, role, expected):
    check(submit(as_role(client, cast, role)), expected)
    stored = ExerciseAnswer.objects.first()
    if expected == 302:
        organisation = cast.globex if role == "outsider" else cast.acme
        assert stored.organisation == organisation
    else:
        assert stored is None


def test_submitting_needs_a_post(client, cast, study_module):
    client.force_login(cast.users.staff)
    response = client.get(reverse("training:module-exercise-answer", args=["m"]))
    assert response.status_code == 405


# ------------------------------------------------------------------ the shipped modules


def shipped():
    codes = _shipped_dimension_codes()
    return {
        slug: load_module_pair(CONTENT, slug, dimension_codes=codes)
        for slug in module_slugs(CONTENT)
    }


def test_every_dimension_of_the_default_framework_is_served_by_two_modules():
    assert set(FRAMEWORK_CODES) == set(_shipped_dimension_codes())
    serving = {code: [] for code in FRAMEWORK_CODES}
    for slug, texts in shipped().items():
        for dimension in texts["ja"].meta["dimensions"]:
            serving[dimension["code"]].append(slug)
    assert {code: len(slugs) >= 2 for code, slugs in serving.items()} == dict.fromkeys(
        FRAMEWORK_CODES, True
    ), serving
    assert sorted(serving["talent"]) == ["customer-engagement-and-loyalty", "talent-development"]


def test_every_shipped_agenda_fits_its_stated_minutes():
    for slug, texts in shipped().items():
        meta = texts["ja"].meta
        items = agenda(meta["minutes"], [title for title, _ in texts["ja"].sections])
        assert sum(item.minutes for item in items) == meta["minutes"], slug
        assert all(item.minutes >= 1 for item in items), slug
        assert items[-1].kind == "quiz", slug


def test_the_reading_fits_pre_work_and_session():
    # Reading speeds on the slow side: 400 Japanese characters or 180 English words a minute.
    for slug, texts in shipped().items():
        meta = texts["ja"].meta
        reading = sum(
            i.minutes
            for i in agenda(meta["minutes"], [t for t, _ in texts["ja"].sections])
            if i.kind == "reading"
        )
        minutes = reading + meta.get("prework_minutes", 0)
        ja = sum(len(participant_markdown(body)) for _, body in texts["ja"].sections)
        en = sum(len(participant_markdown(body).split()) for _, body in texts["en"].sections)
        assert ja <= 400 * minutes, (slug, ja, minutes)
        assert en <= 180 * minutes, (slug, en, minutes)


@pytest.mark.parametrize("slug", NEW_MODULES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_new_module_is_a_whole_study_session(slug, lang):
    path = CONTENT / f"{slug}.{lang}.md"
    module = parse_module_file(
        path.read_text(), str(path), dimension_codes=_shipped_dimension_codes()
    )
    meta = module.meta
    assert 3 <= len(meta["objectives"]) <= 6
    assert meta["prework"] and meta["prework_minutes"] >= 10
    assert meta["model_answer"]
    assert len(meta["discussion"]) >= 3
    notes = [block for _, body in module.sections for block in facilitator_blocks(body)]
    assert len(notes) == 1 and ("進め方" in notes[0] or "Running the session" in notes[0])
    assert len(facilitator_blocks(meta["exercise"])) == 1
    questions = meta["quiz"]["questions"]
    assert len(questions) == 6
    uniquely_longest = [
        i
        for i, q in enumerate(questions)
        if all(
            len(q["choices"][q["answer"]]) > len(c)
            for j, c in enumerate(q["choices"])
            if j != q["answer"]
        )
    ]
    assert len(uniquely_longest) <= 1, uniquely_longest


def test_the_shipped_modules_import_with_their_study_fields(db):
    call_command("import_modules")
    assert Module.objects.count() == len(module_slugs(CONTENT))
    talent = Module.objects.get(slug="talent-development")
    assert talent.prework_minutes == 15
    assert talent.objectives_ja[0].startswith("獲得のためのスキル")
    assert talent.model_answer_en.startswith("**Model answer to 3")
    assert set(talent.dimensions.values_list("dimension_code", flat=True)) == {
        "talent",
        "organisation",
    }
