"""Fixtures of the questionnaire tests: the demo case-study form, published, and an invitation to it."""

import pytest

from ipvalue.accounts.services import api_token_create
from ipvalue.countries.models import Country
from ipvalue.surveys import demo, services
from ipvalue.surveys.models import Invitation, Survey


@pytest.fixture
def survey(secretariat) -> Survey:
    """The case-study questionnaire (en, fr, ru), published, closed access."""
    created = services.survey_import(actor=secretariat, content=demo.case_study_form(), filename="case_studies.xlsx")
    services.survey_publish(actor=secretariat, survey=created)
    return created


@pytest.fixture
def invitation(survey, secretariat) -> Invitation:
    return services.invitation_create(
        actor=secretariat,
        survey=survey,
        email="focal.point@example.kz",
        name="Айгерим",
        language="ru",
        country=Country.objects.get(iso2="KZ"),
    )


@pytest.fixture
def staff_token(secretariat) -> str:
    return api_token_create(user=secretariat)
