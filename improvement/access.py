"""Who may see and do what with improvement actions, evidence, milestones and commentary.

One place for these rules; views, the API, exports and the PDF ask these predicates. They
take a ``Standing`` (``assessments.access``), so organisation scoping is settled before:
outside the organisation there is no standing and the caller answers 404.

- Org admins and consultants (``can_manage``) see and do everything in the organisation,
  and alone approve or reject evidence, take milestones and write commentary. Nobody
  approves evidence they added themselves: a second person does (four eyes).
- A department's manager sees their department (its actions, evidence, the milestones'
  rows of their department and the *published* commentary), creates and edits its actions
  and adds evidence to them.
- Anyone in the organisation who owns an action sees it, moves its status and adds
  evidence to it; a respondent adds evidence to their own answers.
"""

from __future__ import annotations

from assessments.access import Standing


def sees_department(standing: Standing, department_id: int) -> bool:
    return standing.can_manage or (standing.is_manager and standing.department_id == department_id)


def edits_actions(standing: Standing, department_id: int) -> bool:
    """Create an action for the department, or edit any field of one."""
    return sees_department(standing, department_id)


def sees_action(standing: Standing, action, user) -> bool:
    return sees_department(standing, action.department_id) or action.owner_id == user.pk


def moves_action(standing: Standing, action, user) -> bool:
    """Change an action's status (its owner may, without editing the rest)."""
    return edits_actions(standing, action.department_id) or action.owner_id == user.pk


def adds_evidence_to_action(standing: Standing, action, user) -> bool:
    return moves_action(standing, action, user)


def adds_evidence_to_answer(standing: Standing, answer, user) -> bool:
    return standing.can_manage or answer.response.respondent_id == user.pk


def reviews_evidence(standing: Standing) -> bool:
    """Approve or reject evidence."""
    return standing.can_manage


def approves_evidence(standing: Standing, evidence, user) -> bool:
    """Approve this evidence: a reviewer who did not add it (its version's owner). They may
    still reject, that is withdraw, what they added."""
    return reviews_evidence(standing) and evidence.owner_id != user.pk


def takes_milestones(standing: Standing) -> bool:
    return standing.can_manage


def writes_commentary(standing: Standing) -> bool:
    return standing.can_manage


def reads_drafts(standing: Standing) -> bool:
    """Draft commentary is for the consultant and the org admin; others read it published."""
    return standing.can_manage
