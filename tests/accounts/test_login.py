import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(client, stakeholder):
    page = client.get("/en/accounts/login/")
    assert page.status_code == 200
    response = client.post("/en/accounts/login/", {"username": "samuel", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/en/accounts/profile/").context["user"] == stakeholder
    client.post("/en/accounts/logout/")
    assert client.get("/en/accounts/profile/").status_code == 302


def test_wrong_password_gets_a_translated_error(client, stakeholder):
    response = client.post("/fr/accounts/login/", {"username": "samuel", "password": "wrong"})
    assert response.status_code == 200
    with translation.override("fr"):
        message = gettext("The username or password is not correct. Both are case-sensitive.")
    assert message != "The username or password is not correct. Both are case-sensitive."
    assert escape(message) in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, stakeholder):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/en/accounts/login/", {"username": "samuel", "password": "wrong"}).status_code == 200
    locked = client.post("/en/accounts/login/", {"username": "samuel", "password": "wrong"})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    still_locked = client.post("/en/accounts/login/", {"username": "samuel", "password": PASSWORD})
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_so_others_can_still_sign_in(client, stakeholder, make_user):
    make_user("other")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/accounts/login/", {"username": "samuel", "password": "wrong"})
    assert client.post("/en/accounts/login/", {"username": "other", "password": PASSWORD}).status_code == 302


def test_profile_update_keeps_input_on_error(client, stakeholder):
    client.force_login(stakeholder)
    response = client.post(
        "/en/accounts/profile/", {"first_name": "Sam", "email": "not-an-email", "preferred_language": "ru"}
    )
    assert response.status_code == 422
    assert "email" in response.context["form"].errors
    assert 'value="Sam"' in response.content.decode()
    stakeholder.refresh_from_db()
    assert stakeholder.first_name == ""
    ok = client.post(
        "/en/accounts/profile/", {"first_name": "Sam", "email": "sam@example.org", "preferred_language": "ru"}
    )
    assert ok.status_code == 302
    stakeholder.refresh_from_db()
    assert (stakeholder.first_name, stakeholder.preferred_language) == ("Sam", "ru")
