"""assessments 0007 keeps the moment a respondent was last reminded once, on the invitation:
the later of the two stored moments survives the removal of ``Response.last_reminded_at``,
and going back restores the column from the invitation."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assessments", "0006_organisation_answer")]
AFTER = [("assessments", "0007_reminders_on_the_invitation")]
EARLY = datetime.datetime(2026, 11, 1, 1, 0, tzinfo=datetime.UTC)
LATE = datetime.datetime(2026, 11, 3, 5, 7, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0006(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def three_invitations(apps):
    """Invitations reminded: later on the response, later on the invitation, never."""
    User = apps.get_model("auth", "User")
    Organisation = apps.get_model("assessments", "Organisation")
    Department = apps.get_model("assessments", "Department")
    Framework = apps.get_model("maturity", "Framework")
    Campaign = apps.get_model("assessments", "Campaign")
    Response = apps.get_model("assessments", "Response")
    Invitation = apps.get_model("assessments", "Invitation")
    acme = Organisation.objects.create(name="Acme", slug="acme")
    sales = Department.objects.create(organisation=acme, name="Sales", function="sales")
    framework = Framework.objects.create(slug="f", version=1, title="F")
    campaign = Campaign.objects.create(
        organisation=acme,
        framework=framework,
        name="C",
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 11, 30),
    )
    rows = [(LATE, EARLY), (EARLY, LATE), (None, None)]
    invitations = []
    for n, (on_response, on_invitation) in enumerate(rows):
        user = User.objects.create(username=f"u{n}")
        response = Response.objects.create(
            campaign=campaign,
            department=sales,
            respondent=user,
            rater_role="manager",
            last_reminded_at=on_response,
        )
        invitations.append(
            Invitation.objects.create(response=response, token=f"t{n}", reminded_at=on_invitation)
        )
    return [i.pk for i in invitations]


def test_the_later_reminder_is_kept_on_the_invitation(at_0006):
    pks = three_invitations(at_0006)
    apps = migrate(AFTER)
    Invitation = apps.get_model("assessments", "Invitation")
    assert [Invitation.objects.get(pk=pk).reminded_at for pk in pks] == [LATE, LATE, None]
    Response = apps.get_model("assessments", "Response")
    assert "last_reminded_at" not in {f.name for f in Response._meta.get_fields()}

    back = migrate(BEFORE)
    Invitation = back.get_model("assessments", "Invitation")
    on_responses = [Invitation.objects.get(pk=pk).response.last_reminded_at for pk in pks]
    assert on_responses == [LATE, LATE, None]
