import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from ipvalue.accounts.models import Role
from ipvalue.accounts.services import coordinator_assign, user_set_role
from ipvalue.countries.models import Country, SelectionCriterion

pytestmark = pytest.mark.django_db


def test_object_permissions_by_role(secretariat, coordinator_kz, stakeholder, make_user):
    kazakhstan, uzbekistan = Country.objects.get(iso2="KZ"), Country.objects.get(iso2="UZ")
    criterion = SelectionCriterion.objects.filter(country=kazakhstan).first()
    expert = make_user("elena", Role.EXPERT)
    assert secretariat.has_perm("countries.change_country", uzbekistan)
    assert secretariat.has_perm("countries.change_beneficiary_status", uzbekistan)
    assert coordinator_kz.has_perm("countries.change_country", kazakhstan)
    assert coordinator_kz.has_perm("countries.change_selectioncriterion", criterion)  # records bound to a country
    assert not coordinator_kz.has_perm("countries.change_country", uzbekistan)
    assert not coordinator_kz.has_perm("countries.change_beneficiary_status", kazakhstan)
    assert not coordinator_kz.has_perm("countries.change_country")  # no blanket permission
    for user in (stakeholder, expert):
        assert not user.has_perm("countries.change_country", kazakhstan)
        assert not user.has_perm("countries.view_country_history", kazakhstan)
    assert not coordinator_kz.has_perm("accounts.change_user", stakeholder)
    assert secretariat.has_perm("accounts.change_user", stakeholder)


def test_inactive_coordinator_loses_rights(coordinator_kz):
    coordinator_kz.is_active = False
    coordinator_kz.save()
    assert not coordinator_kz.has_perm("countries.change_country", Country.objects.get(iso2="KZ"))


def test_term_of_assignment(make_user, reference_data):
    coordinator = make_user("term", Role.COORDINATOR)
    kazakhstan = Country.objects.get(iso2="KZ")
    today = datetime.date.today()
    coordinator_assign(actor=None, user=coordinator, country=kazakhstan, starts_on=today + datetime.timedelta(days=1))
    assert not coordinator.has_perm("countries.change_country", kazakhstan)  # term not begun
    with pytest.raises(ValidationError) as error:
        coordinator_assign(
            actor=None,
            user=coordinator,
            country=kazakhstan,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )
    assert "ends_on" in error.value.message_dict


def test_only_coordinators_can_be_assigned(stakeholder, secretariat, coordinator_kz):
    with pytest.raises(ValidationError) as error:
        coordinator_assign(actor=secretariat, user=stakeholder, country=Country.objects.get(iso2="KZ"))
    assert "user" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        coordinator_assign(actor=coordinator_kz, user=coordinator_kz, country=Country.objects.get(iso2="UZ"))


def test_role_change_is_audited_and_restricted(secretariat, stakeholder, coordinator_kz):
    with pytest.raises(PermissionDenied):
        user_set_role(actor=coordinator_kz, user=stakeholder, role=Role.SECRETARIAT)
    user_set_role(actor=secretariat, user=stakeholder, role=Role.SECRETARIAT)
    stakeholder.refresh_from_db()
    assert stakeholder.is_staff and stakeholder.is_secretariat
    entry = LogEntry.objects.get_for_object(stakeholder).latest("timestamp")
    assert entry.actor == secretariat
    assert entry.changes_dict["role"] == ["stakeholder", "secretariat"]
    assert "password" not in entry.changes_dict


def test_secretariat_reaches_the_admin_and_others_do_not(client, secretariat, coordinator_kz):
    client.force_login(coordinator_kz)
    assert client.get("/en/admin/").status_code == 302
    client.force_login(secretariat)
    assert not secretariat.is_superuser
    index = client.get("/en/admin/")
    assert index.status_code == 200
    listed = {app["app_label"] for app in index.context["app_list"]}
    assert {"accounts", "countries", "auditlog", "axes"} <= listed
    assert client.get("/en/admin/countries/country/").status_code == 200
    assert client.get("/en/admin/auditlog/logentry/").status_code == 200
    assert client.get("/en/admin/accounts/user/").status_code == 200
