"""``{% department_loop_block campaign department %}``: the loop of one department (gap →
actions → training → delta, ``improvement.loop.selectors.department_loop``) as a section
of a page; reuses the page's ``results`` when it has them."""

from django import template

from assessments.access import standing_in
from improvement.loop.selectors import department_loop
from results.loader import shown_results

register = template.Library()


@register.inclusion_tag("improvement/loop/_block.html", takes_context=True)
def department_loop_block(context, campaign, department):
    results = context.get("results")
    if results is None or getattr(results, "campaign", None) != campaign:
        results = shown_results(campaign)
    standing = standing_in(context["request"].user, campaign.organisation_id)
    loop = department_loop(results, department, standing=standing)
    # The loop page shows every step; elsewhere the leading ones, with a link to the rest.
    every = bool(context.get("loop_every_step"))
    steps = loop.steps if every else loop.leading
    return {
        "campaign": campaign,
        "department": department,
        "loop": loop,
        "steps": steps,
        "more": len(loop.steps) - len(steps),
    }
