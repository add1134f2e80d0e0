import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ipvalue.accounts.models import ApiToken, User
from ipvalue.accounts.services import api_token_authenticate

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_user_add_creates_then_updates(reference_data, client):
    created = run(
        "user", "add", "dana", "--role", "coordinator", "--country", "kz", "--country", "UZ", "--email", "d@x.org"
    )
    assert "created" in created and "KZ, UZ" in created
    password = created.rsplit(": ", 1)[-1].strip()
    assert client.post("/en/accounts/login/", {"username": "dana", "password": password}).status_code == 302
    updated = run("user", "add", "dana", "--role", "coordinator", "--country", "KZ")
    assert "updated" in updated and "password" not in updated.lower()
    dana = User.objects.get(username="dana")
    assert dana.country_assignments.count() == 2 and dana.email == "d@x.org"
    run("user", "add", "dana", "--role", "secretariat")
    dana.refresh_from_db()
    assert dana.role == "secretariat" and dana.is_staff


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "coordinator", "--country", "XX"), "country: No member state has the code XX"),
        (("--role", "expert", "--country", "KZ"), "country: Only national coordinators"),
        (("--role", "expert", "--email", "not-an-email"), "email"),
    ],
)
def test_user_add_refuses_bad_input_with_exit_status_2(reference_data, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run("user", "add", "eve", *args)
    assert error.value.returncode == 2
    assert not User.objects.filter(username="eve").exists()


def test_api_token_is_printed_once_and_stored_hashed(stakeholder):
    token = run("api-token", "samuel").strip()
    assert token.startswith("ipv_") and len(token) > 40
    stored = ApiToken.objects.get(user=stakeholder)
    assert token not in (stored.key_hash, stored.prefix) and token.startswith(stored.prefix)
    assert api_token_authenticate(token=token) == stakeholder
    assert api_token_authenticate(token=token + "x") is None
    stakeholder.is_active = False
    stakeholder.save()
    assert api_token_authenticate(token=token) is None
    with pytest.raises(CommandError) as error:
        run("api-token", "nobody")
    assert error.value.returncode == 2
