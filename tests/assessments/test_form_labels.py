"""Forms read as Japanese forms: a label without Django's half-width colon, the help text
under its field (issue 17: 匿名化のしきい値 had no help; 「名称:」)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_new_campaign_form_has_plain_labels_and_the_threshold_help(client, cast):
    client.force_login(cast.users.org_admin)
    html = client.get(reverse("assessments:campaign-create", args=[cast.acme.pk])).content.decode()
    assert '<label for="id_name">名称</label>' in html
    assert "名称:" not in html and "匿名化のしきい値:" not in html
    assert 'id="id_anonymity_threshold_helptext"' in html
    threshold = re.search(r'<input[^>]*id="id_anonymity_threshold"[^>]*>', html).group(0)
    assert 'aria-describedby="id_anonymity_threshold_helptext"' in threshold
    assert "自己評価を提出すると表示されます" in html


def test_the_campaign_list_links_an_org_admin_to_the_settings_and_nobody_else(client, cast):
    settings_url = reverse("assessments:organisation-settings", args=[cast.acme.pk])
    client.force_login(cast.users.org_admin)
    assert settings_url in client.get(reverse("assessments:campaign-list")).content.decode()
    client.force_login(cast.users.consultant)  # manages campaigns, may not change settings
    assert settings_url not in client.get(reverse("assessments:campaign-list")).content.decode()
