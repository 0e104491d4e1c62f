"""The improvement plan on the demo data: it leads with a department's weakest dimensions (or
with the targets someone set), and the department page, the PDF report and the API list the
same steps in the same order (docs/scoring.md, "The improvement plan")."""

import re
import statistics

import pytest
from django.urls import reverse

from assessments.models import Target
from reports.campaign_report import build_campaign_report
from results.loader import shown_results
from results.plan import plan_rows
from results.rows import department_rows
from tests.reports.test_campaign_report import pages_text
from training.models import Module

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(demo):
    """The demo's first campaign with every department shown (threshold 1): インサイドセール
    ス部 answered it alone, and its best dimension, tools, sits exactly on level 3 (3.00),
    the largest gap to a default target one level up."""
    demo.first.anonymity_threshold = 1
    demo.first.save()
    return demo


def page_plan(client, demo, campaign, department) -> list[str]:
    client.force_login(demo.admin)
    reply = client.get(reverse("results:department", args=[campaign.pk, department.pk]))
    assert reply.status_code == 200
    plan = reply.content.decode().split('class="plan-list"')[1].split("</ol>")[0]
    return re.findall(r'<li data-dimension="([^"]+)"', plan)


def api_plan(client, demo, campaign, department) -> list[dict]:
    client.force_login(demo.admin)
    reply = client.get(reverse("api-campaign-results", args=[campaign.pk]))
    assert reply.status_code == 200
    (plan,) = [p for p in reply.json()["plans"] if p["department"] == department.pk]
    return plan["steps"]


def squashed(text: str) -> str:
    """PDF text without the line breaks and spaces a paragraph's wrapping adds."""
    return re.sub(r"\s+", "", text)


def pdf_actions(pdf: bytes) -> list[str]:
    """The numbered actions of the executive summary, as '<n>. <department> · <dimension>'."""
    text = squashed("\n".join(pages_text(pdf)[2:]))  # after the cover and the contents
    summary = text.split("最も重要な3つのアクション")[1]  # the report's only numbered list
    return re.findall(r"(\d)\.(インサイドセールス部·[^:]+):", summary)


def test_the_plan_starts_below_the_median_and_never_with_the_best_dimension(first):
    results = shown_results(first.first)
    rows = [r for r in department_rows(results, first.inside_sales.pk) if r.mean is not None]
    best = max(rows, key=lambda r: r.mean)
    assert (best.dimension.code, round(best.mean, 2)) == ("tools", 3.0)
    median = statistics.median(r.mean for r in rows)
    plan = plan_rows(results, first.inside_sales.pk)
    assert plan[0].mean < median
    assert [step.dimension.code for step in plan[:3]] == ["organisation", "incentives", "kpi"]
    assert [round(step.mean, 2) for step in plan[:3]] == [1.69, 1.93, 1.93]
    assert best.dimension.code not in [step.dimension.code for step in plan[:3]]
    # Weakest first: levels never go down along the plan, nor means within a level.
    keys = [(step.level, round(step.mean, 2)) for step in plan]
    assert keys == sorted(keys)
    assert plan[-1].dimension.code == "tools"  # the largest gap (1.00), yet the last step
    assert [step.rank for step in plan] == list(range(1, len(plan) + 1))


def test_the_page_the_pdf_and_the_api_show_the_same_first_three_steps(client, first):
    expected = ["organisation", "incentives", "kpi"]
    titles = {d.code: d.title_ja for d in first.first.framework.dimensions.all()}
    assert page_plan(client, first, first.first, first.inside_sales) == expected
    steps = api_plan(client, first, first.first, first.inside_sales)
    assert [s["dimension"] for s in steps[:3]] == expected
    assert [s["rank"] for s in steps[:3]] == [1, 2, 3]
    assert [(s["level"], s["target"], round(s["mean"], 2)) for s in steps[:3]] == [
        (1, 2, 1.69),
        (1, 2, 1.93),
        (1, 2, 1.93),
    ]
    assert steps[0]["gap"] == pytest.approx(2 - steps[0]["mean"])
    pdf = build_campaign_report(first.first, department=first.inside_sales, language="ja")
    assert pdf_actions(pdf) == [
        (str(n), f"インサイドセールス部·{titles[code]}") for n, code in enumerate(expected, 1)
    ]


def test_a_set_target_leads_the_plan_everywhere(client, first):
    # A consultant asks インサイドセールス部 to bring tools to level 5: that set target comes
    # first, then the default targets, weakest first.
    Target.objects.create(
        department=first.inside_sales, dimension_code="tools", level=5, set_by=first.admin
    )
    expected = ["tools", "organisation", "incentives"]
    assert page_plan(client, first, first.first, first.inside_sales) == expected
    steps = api_plan(client, first, first.first, first.inside_sales)
    assert [(s["dimension"], s["target"]) for s in steps[:3]] == [
        ("tools", 5),
        ("organisation", 2),
        ("incentives", 2),
    ]
    assert steps[0]["gap"] == pytest.approx(2.0)


def module_titles(codes: list[str]) -> set[str]:
    return set(
        Module.objects.filter(dimensions__dimension_code__in=codes).values_list(
            "title_ja", flat=True
        )
    )


def test_the_learning_section_and_the_appendix_point_to_the_same_modules(first):
    # A set target on tools puts it first in the plan though it is the department's best
    # dimension: both sections must follow the plan, not the lowest means.
    Target.objects.create(
        department=first.inside_sales, dimension_code="tools", level=5, set_by=first.admin
    )
    pdf = build_campaign_report(first.first, department=first.inside_sales, language="ja")
    text = squashed("\n".join(pages_text(pdf)[2:]))
    learning = text.split("学習インサイドセールス部")[1].split("付録:勉強会資料")[0]
    appendix = text.split("付録:勉強会資料")[-1]
    plan_modules = module_titles(["tools", "organisation", "incentives"])
    listed = sorted(
        (title for title in plan_modules if squashed(title) in learning),
        key=lambda title: learning.index(squashed(title)),
    )
    shown = sorted(
        (title for title in plan_modules if squashed(title) in appendix),
        key=lambda title: appendix.index(squashed(title)),
    )
    assert listed, learning[:300]
    assert shown == listed[:3]
    # The first module serves the plan's first step, tools.
    assert listed[0] in module_titles(["tools"])
    # Nothing from outside the plan's first three dimensions.
    others = set(Module.objects.values_list("title_ja", flat=True)) - plan_modules
    assert not [title for title in others if squashed(title) in learning + appendix]


def test_a_withheld_department_has_no_plan_in_the_api(client, demo):
    # The current campaign keeps its threshold of 3: only 営業部 has three self-ratings.
    assert api_plan(client, demo, demo.current, demo.inside_sales) == []
    steps = api_plan(client, demo, demo.current, demo.sales)
    assert steps and [s["rank"] for s in steps] == list(range(1, len(steps) + 1))
    assert page_plan(client, demo, demo.current, demo.sales) == [s["dimension"] for s in steps[:3]]


def test_the_learning_path_proposes_the_modules_the_report_names(client, first):
    # One rule (training.selectors.modules_for_steps over the plan's first steps) for the
    # learning-path form and the PDF's learning section and appendix. A set target puts
    # tools, the best dimension, first: the lowest means alone would not.
    Target.objects.create(
        department=first.inside_sales, dimension_code="tools", level=5, set_by=first.admin
    )
    client.force_login(first.admin)
    reply = client.get(
        reverse("training:learning-path", args=[first.first.pk, first.inside_sales.pk])
    )
    assert reply.status_code == 200
    proposed = list(Module.objects.in_bulk(reply.context["form"].initial["modules"]).values())
    proposed.sort(key=lambda m: reply.context["form"].initial["modules"].index(m.pk))
    assert proposed, "the plan's first steps have modules"
    for module in proposed:  # each serves one of the plan's first three dimensions
        served = set(module.dimensions.values_list("dimension_code", flat=True))
        assert served & {"tools", "organisation", "incentives"}, module.slug
    assert "tools" in proposed[0].dimensions.values_list("dimension_code", flat=True)
    pdf = build_campaign_report(first.first, department=first.inside_sales, language="ja")
    text = squashed("\n".join(pages_text(pdf)[2:]))
    learning = text.split("学習インサイドセールス部")[1].split("付録:勉強会資料")[0]
    appendix = text.split("付録:勉強会資料")[-1]
    titles = [squashed(m.title_ja) for m in proposed]
    assert all(t in learning for t in titles), learning[:300]
    assert sorted(titles, key=learning.index) == titles  # the same order
    assert [t for t in titles if t in appendix] == titles[:3]
