import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from ipvalue.accounts.models import CountryAssignment, Role, User

pytestmark = pytest.mark.django_db


def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_demo_accounts_print_their_logins_once_and_sign_in(client, reference_data, capsys):
    call_command("load_demo_data")
    first = capsys.readouterr().out
    logins = dict(re.findall(r"^\s+\w+\s+(\w+)\s+(\S+)", first, flags=re.MULTILINE))
    assert set(logins) == {"secretariat", "coordinator", "expert", "stakeholder"}
    assert {user.username: user.role for user in User.objects.all()} == {
        "secretariat": Role.SECRETARIAT,
        "coordinator": Role.COORDINATOR,
        "expert": Role.EXPERT,
        "stakeholder": Role.STAKEHOLDER,
    }
    assert set(CountryAssignment.objects.values_list("country__iso2", flat=True)) == {"KZ", "UZ"}
    response = client.post("/en/accounts/login/", {"username": "coordinator", "password": logins["coordinator"]})
    assert response.status_code == 302

    from ipvalue.stakeholders.models import Person

    assert Person.objects.filter(country__iso2__in=["KZ", "UZ"]).count() == 5
    assert Person.objects.filter(status="active").count() == 1
    call_command("load_demo_data")
    second = capsys.readouterr().out
    assert Person.objects.count() == 5
    assert logins["coordinator"] not in second and "already present" in second
    assert User.objects.count() == 4


def test_setup_is_idempotent_and_keeps_data(reference_data, capsys, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("setup", "--demo")
    user = User.objects.get(username="stakeholder")
    user.first_name = "Kept"
    user.save()
    call_command("setup", "--demo")
    assert User.objects.get(username="stakeholder").first_name == "Kept"
    assert "countries: 0 created, 0 updated" in capsys.readouterr().out


def test_console_script_is_installed():
    executable = shutil.which("ipvalue") or shutil.which("ipvalue", path=".venv/bin")
    assert executable, "the `ipvalue` console script is not installed"
    result = subprocess.run([executable, "help", "load_reference_data"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "--reset-beneficiaries" in result.stdout
