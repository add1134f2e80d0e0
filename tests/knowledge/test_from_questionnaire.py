"""From questionnaire to profile: a submitted answer to the project's questionnaire becomes proposed records of the
respondent's country, with its provenance, waiting for review; nothing is published by it."""

import pytest

from ipvalue.countries.models import Country
from ipvalue.knowledge import from_questionnaire, services
from ipvalue.knowledge.models import Fact, Obstacle, Practice, ReviewStatus
from ipvalue.surveys import services as survey_services
from ipvalue.surveys.models import Response
from ipvalue.surveys.project import load_project_questionnaire
from tests.surveys.test_project_questionnaire import RUSSIAN_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_survey(secretariat):
    services.taxonomy_load()
    survey = load_project_questionnaire()
    survey_services.survey_publish(actor=secretariat, survey=survey)
    return survey


def submit(survey, secretariat, country=None) -> Response:
    invitation = survey_services.invitation_create(
        actor=secretariat, survey=survey, email="focal@example.kz", language="ru", country=country
    )
    response = survey_services.access_by_token(invitation.token).response
    result = survey_services.answers_save(response=response, incoming=RUSSIAN_ANSWERS, language="ru")
    assert result.errors == {}
    assert survey_services.response_submit(response=response, language="ru") == {}
    return response


def test_a_submitted_answer_proposes_facts_practices_and_obstacles(project_survey, secretariat):
    kz = Country.objects.get(iso2="KZ")
    response = submit(project_survey, secretariat, country=kz)
    facts = {fact.provision.code: fact for fact in Fact.objects.filter(origin_response=response)}
    assert facts["ip_pledge_allowed"].value == "yes"
    assert facts["ip_pledge_allowed"].detail == "Гражданский кодекс, положения о залоге"
    assert facts["security_interest_register"].value == "ip_office"
    assert facts["valuation_standard"].value == "both"
    assert facts["valuer_licensing"].value == "licence_required"
    assert all(fact.country == kz and fact.status == ReviewStatus.PROPOSED for fact in facts.values())
    assert f"response {response.pk}" in facts["ip_pledge_allowed"].source_title
    practice = Practice.objects.get(origin_response=response)
    assert practice.instrument.code == "ip_backed_loan"
    assert practice.titles["ru"] and practice.year == 2022 and practice.outcome == "successful"
    assert practice.figures == "150000 USD"
    assert set(practice.stakeholder_groups) == {"public_authorities", "finance", "business", "valuation"}
    assert [method.code for method in practice.methods.all()] == ["relief_from_royalty"]
    obstacles = {(item.type.code, item.severity) for item in Obstacle.objects.filter(origin_response=response)}
    assert ("legal_unclear_enforcement", 4) in obstacles and ("technical_no_comparable_data", 3) in obstacles
    assert not Fact.objects.filter(status=ReviewStatus.PUBLISHED).exists()  # nothing is published by a response
    assert from_questionnaire.proposals_from_response(response) == {"facts": 0, "practices": 0, "obstacles": 0}


def test_a_response_without_a_country_proposes_nothing(project_survey, secretariat):
    response = submit(project_survey, secretariat, country=None)
    assert response.is_submitted
    assert not Fact.objects.filter(origin_response=response).exists()
