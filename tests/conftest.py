"""Shared fixtures: the reference data and one user per role, on the real database (SQLite or PostgreSQL)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from ipvalue.accounts.models import Role, User
from ipvalue.accounts.services import coordinator_assign, user_create
from ipvalue.core.management.commands.compile_translations import compile_catalogs
from ipvalue.countries.models import Country
from ipvalue.countries.services import reference_data_load

PASSWORD = "correct-horse-battery-staple"


def pytest_configure(config: pytest.Config) -> None:
    """Tests read the translations, so compile any catalog that changed (pure Python, no GNU gettext)."""
    compile_catalogs([Path(path) for path in settings.LOCALE_PATHS])


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to /ru/... leaves Russian active in the thread (LocaleMiddleware does not reset it): give each test
    the default language back, so that no test depends on the one that ran before it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(db: None) -> None:
    reference_data_load()


@pytest.fixture
def make_user(db: None):
    def make(username: str, role: str = Role.STAKEHOLDER, countries: tuple[str, ...] = (), **extra: object) -> User:
        user = user_create(username=username, email=f"{username}@example.org", role=role, password=PASSWORD, **extra)
        for iso2 in countries:
            coordinator_assign(actor=None, user=user, country=Country.objects.get(iso2=iso2))
        return user

    return make


@pytest.fixture
def secretariat(make_user, reference_data) -> User:
    return make_user("sofia", Role.SECRETARIAT)


@pytest.fixture
def coordinator_kz(make_user, reference_data) -> User:
    return make_user("aigerim", Role.COORDINATOR, countries=("KZ",))


@pytest.fixture
def stakeholder(make_user, reference_data) -> User:
    return make_user("samuel", Role.STAKEHOLDER)
