import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_tells_each_kind_of_user_what_to_do(client, sample_framework):
    html = client.get(reverse("home")).content.decode()
    assert "マネージャー" in html and "コンサルタント" in html and "メンバー" in html


def test_it_speaks_english(client):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Managers" in html and "Consultants" in html and "Staff" in html


def test_it_offers_login_to_visitors_and_logout_to_users(client, django_user_model):
    assert reverse("login") in client.get(reverse("home")).content.decode()
    client.force_login(django_user_model.objects.create_user("mika", password="pw"))
    html = client.get(reverse("home")).content.decode()
    assert 'action="/accounts/logout/"' in html and "mika" in html
