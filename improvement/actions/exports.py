"""The campaign's actions as a table (CSV or XLSX through ``results.exports.render``, which
makes every text cell inert for a spreadsheet), one row per action with the progress of its
department's dimension against the target."""

from __future__ import annotations

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.templatetags.people import person
from results.exports import local_time
from results.loader import shown_results

from .selectors import action_progress, dimensions_of, is_overdue


def actions_frame(campaign, actions) -> pd.DataFrame:
    """``actions`` (``selectors.decorated``) with the target, the current level (blank
    where the anonymity rule withholds it), and the dimension's counts of done and open
    actions."""
    actions = list(actions)
    titles = {d.code: d.title for d in dimensions_of(campaign)}
    results = shown_results(campaign) if actions else None
    progress = {}
    for department in {a.department for a in actions}:
        for row in action_progress(campaign, department, results=results):
            progress[(department.pk, row.dimension.code)] = row
    today = timezone.localdate()
    rows = []
    for action in actions:
        row = progress.get((action.department_id, action.dimension_code))
        rows.append(
            {
                _("department"): action.department.name,
                _("dimension code"): action.dimension_code,
                _("dimension"): titles.get(action.dimension_code, ""),
                _("title"): action.title,
                _("status"): action.get_status_display(),
                _("owner"): person(action.owner),
                _("due date"): action.due_on.isoformat() if action.due_on else "",
                _("overdue"): _("Yes") if is_overdue(action, today) else _("No"),
                _("planned level"): action.planned_level,
                _("target level"): row.target if row else None,
                _("current level"): row.level if row else None,
                _("done actions"): row.done if row else 0,
                _("open actions"): row.open if row else 0,
                _("recommendation"): action.recommendation.text if action.recommendation else "",
                _("training modules"): ", ".join(m.title for m in action.modules.all()),
                _("completed"): local_time(action.completed_at),
                _("updated"): local_time(action.updated_at),
            }
        )
    frame = pd.DataFrame(rows)
    for whole in (_("planned level"), _("target level"), _("current level")):
        if whole in frame:
            frame[whole] = frame[whole].astype("Int64")
    return frame
