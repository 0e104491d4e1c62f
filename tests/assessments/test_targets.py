"""Target levels: the service checks them against the campaign's framework, the form reads
what a person typed; either refusal saves nothing."""

import pytest
from django.utils import translation

from assessments import services
from assessments.forms import TargetsForm
from assessments.models import Target
from assessments.services import AssessmentError

pytestmark = pytest.mark.django_db

REFUSED = {
    "en": "A target must be a level of the scale.",
    "ja": "目標はレベルの尺度内の値にしてください。",
}


def saved(department) -> dict[str, int]:
    return dict(department.targets.values_list("dimension_code", "level"))


# ---------------------------------------------------------------- the service


def test_it_saves_levels_of_the_scale(cast):
    services.set_targets(
        campaign=cast.campaign,
        department=cast.sales,
        levels={"kpi": 1, "data": 5},
        set_by=cast.users.org_admin,
    )
    assert saved(cast.sales) == {"kpi": 1, "data": 5}
    assert Target.objects.get(dimension_code="data").set_by == cast.users.org_admin


@pytest.mark.parametrize("level", [0, 6, -1, 99, True, "3", 3.0, None])
def test_it_refuses_a_level_off_the_framework_scale_and_saves_nothing(cast, level):
    with pytest.raises(AssessmentError) as excinfo:
        services.set_targets(
            campaign=cast.campaign,
            department=cast.sales,
            levels={"kpi": 4, "data": level},
            set_by=cast.users.org_admin,
        )
    assert (excinfo.value.code, excinfo.value.field) == ("bad_target", "data")
    assert not Target.objects.exists()  # not even the valid kpi target


def test_it_refuses_a_dimension_the_framework_does_not_have(cast):
    with translation.override("en"), pytest.raises(AssessmentError) as excinfo:
        services.set_targets(
            campaign=cast.campaign,
            department=cast.sales,
            levels={"kpi": 3, "tools": 3},
            set_by=cast.users.org_admin,
        )
    assert excinfo.value.code == "unknown_dimension"
    assert excinfo.value.message == "tools is not a dimension of this campaign's framework."
    assert not Target.objects.exists()


def test_the_unknown_dimension_refusal_speaks_japanese(cast):
    with translation.override("ja"), pytest.raises(AssessmentError) as excinfo:
        services.set_targets(
            campaign=cast.campaign,
            department=cast.sales,
            levels={"tools": 3},
            set_by=cast.users.org_admin,
        )
    assert excinfo.value.message == "tools はこの実施回のフレームワークの評価軸ではありません。"


def test_it_refuses_a_department_the_campaign_does_not_assess(cast):
    with pytest.raises(AssessmentError) as excinfo:
        services.set_targets(
            campaign=cast.campaign,
            department=cast.globex_sales,
            levels={"kpi": 3},
            set_by=cast.users.org_admin,
        )
    assert excinfo.value.code == "department_not_assessed"
    assert not Target.objects.exists()


def test_a_new_level_replaces_the_old_one(cast):
    for level in (2, 4):
        services.set_targets(
            campaign=cast.campaign,
            department=cast.sales,
            levels={"kpi": level},
            set_by=cast.users.org_admin,
        )
    assert saved(cast.sales) == {"kpi": 4}
    assert Target.objects.count() == 1


# ---------------------------------------------------------------- the form


def form(cast, **values):
    return TargetsForm(
        {f"target-{code}": value for code, value in values.items()}, framework=cast.framework
    )


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    "value", ["²", "9" * 5000, "3\x00", "-1", "1e3", "3.0", "three", "0", "6", "１２", "٣٣٣٣"]
)
def test_the_form_refuses_what_is_no_level_with_one_clear_message(cast, value, language):
    with translation.override(language):
        targets = form(cast, kpi="4", data=value)
        assert not targets.is_valid()
        assert targets.refusals() == [REFUSED[language]]
        assert list(targets.errors) == ["data"]


@pytest.mark.parametrize("value, level", [("3", 3), (" 5 ", 5), ("３", 3), ("٣", 3), ("01", 1)])
def test_the_form_reads_decimal_digits_of_any_script(cast, value, level):
    targets = form(cast, kpi=value)
    assert targets.is_valid(), targets.errors
    assert targets.levels() == {"kpi": level}


def test_the_form_leaves_empty_fields_out_and_ignores_other_names(cast):
    targets = form(cast, kpi="", data="2", tools="3")
    assert targets.is_valid()
    assert targets.levels() == {"data": 2}


def test_the_form_has_one_field_per_dimension_of_the_framework(cast):
    assert list(TargetsForm(framework=cast.framework).fields) == ["kpi", "data"]
