"""A module is read when its reader reaches the end (or says so), not when it is opened."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.models import Membership
from tests.matrix import as_role
from training.models import ModuleProgress

pytestmark = pytest.mark.django_db


def page_url(module):
    return reverse("training:module-detail", args=[module.slug])


def read_url(module):
    return reverse("training:module-mark-read", args=[module.slug])


def test_opening_a_module_does_not_mark_it_read(client, cast, module):
    client.force_login(cast.users.staff)
    html = client.get(page_url(module)).content.decode()
    assert not ModuleProgress.objects.exists()
    assert "未着手" in html and "data-unread" in html
    # The end of the page: the no-script button and the script that watches for the end.
    assert f'action="{read_url(module)}"' in html and "読み終えた" in html
    assert "js/module_read.js" in html


def test_the_script_marks_it_read_and_is_answered_in_json(client, cast, module):
    client.force_login(cast.users.staff)
    reply = client.post(read_url(module), HTTP_ACCEPT="application/json")
    assert reply.status_code == 200
    body = reply.json()
    progress = ModuleProgress.objects.get(user=cast.users.staff, module=module)
    assert progress.organisation == cast.acme and progress.read_at is not None
    assert body == {"read": True, "read_at": progress.read_at.isoformat(), "label": "読了"}
    html = client.get(page_url(module)).content.decode()
    assert "data-unread" not in html and "読み終えた" not in html
    assert "に読了しました。" in html


def test_the_button_marks_it_read_and_goes_back_with_a_message(client, cast, module):
    client.force_login(cast.users.staff)
    reply = client.post(read_url(module))
    assert reply.status_code == 302
    assert reply["Location"] == page_url(module) + "#read-end"
    assert [m.message for m in get_messages(reply.wsgi_request)] == ["読了として記録しました。"]
    assert ModuleProgress.objects.get(user=cast.users.staff).read_at is not None


def test_marking_twice_keeps_the_first_time(client, cast, module):
    client.force_login(cast.users.staff)
    client.post(read_url(module))
    first = ModuleProgress.objects.get().read_at
    client.post(read_url(module))
    assert ModuleProgress.objects.get().read_at == first
    assert ModuleProgress.objects.count() == 1


def test_it_rejects_get(client, cast, module):
    client.force_login(cast.users.staff)
    assert client.get(read_url(module)).status_code == 405
    assert not ModuleProgress.objects.exists()


def test_an_unknown_module_is_404(client, cast, module):
    client.force_login(cast.users.staff)
    assert client.post(reverse("training:module-mark-read", args=["nope"])).status_code == 404


def test_it_is_recorded_for_the_readers_own_organisation(client, cast, module):
    # Globex's org admin reads: the progress is Globex's, never Acme's.
    client.force_login(cast.users.outsider)
    client.post(read_url(module))
    progress = ModuleProgress.objects.get()
    assert (progress.user, progress.organisation) == (cast.users.outsider, cast.globex)
    assert not ModuleProgress.objects.filter(organisation=cast.acme).exists()


def test_someone_of_no_organisation_gets_a_clear_refusal(client, cast, module):
    client.force_login(cast.users.nobody)
    reply = client.post(read_url(module), HTTP_ACCEPT="application/json")
    assert reply.status_code == 403
    assert reply.json()["error"] == {
        "code": "no_organisation",
        "message": "読了を記録できるのは、組織のメンバーだけです。",
    }
    assert client.post(read_url(module)).status_code == 403
    assert not ModuleProgress.objects.exists()
    assert "読み終えた" not in client.get(page_url(module)).content.decode()


def test_the_facilitator_edition_neither_marks_nor_offers_it(client, cast, module):
    client.force_login(cast.users.org_admin)
    html = client.get(page_url(module) + "?edition=facilitator").content.decode()
    assert "読み終えた" not in html
    assert not ModuleProgress.objects.exists()


# Every role may read modules and record their own reading, for the organisation they belong
# to; consultants of no membership (and the signed-in nobody) have no organisation to learn
# for; anonymous users are sent to log in.
@pytest.mark.parametrize(
    ("role", "status", "organisation"),
    [
        ("anonymous", "login", None),
        ("org_admin", 302, "acme"),
        ("manager", 302, "acme"),
        ("other_manager", 302, "acme"),
        ("staff", 302, "acme"),
        ("consultant", 403, None),
        ("consultant_without_access", 403, None),
        ("outsider", 302, "globex"),
        ("nobody", 403, None),
    ],
)
def test_the_role_matrix(client, cast, module, role, status, organisation):
    reply = as_role(client, cast, role).post(read_url(module))
    if status == "login":
        assert reply.status_code == 302 and reverse("login") in reply["Location"]
        assert not ModuleProgress.objects.exists()
        return
    assert reply.status_code == status
    if organisation is None:
        assert not ModuleProgress.objects.exists()
    else:
        progress = ModuleProgress.objects.get()
        assert progress.organisation == getattr(cast, organisation)
        assert Membership.objects.filter(
            user=progress.user, organisation=progress.organisation
        ).exists()
