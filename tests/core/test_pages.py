import re

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext

from ipvalue.countries.models import Country

pytestmark = pytest.mark.django_db

HERO = "Put a value on intellectual property, and put it to work"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_home_page_in_each_language(client, reference_data, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    with translation.override(language):
        hero = gettext(HERO)
    if language != "en":
        assert hero != HERO, f"the home page heading has no {language} translation"
    assert hero in html
    # The switcher links to this page in every language, and marks the current one.
    for code, name in settings.LANGUAGES:
        assert f'href="/{code}/"' in html
        assert name in html
    assert re.search(rf'href="/{language}/" lang="{language}"[^>]*aria-current="true"', html)
    # Landmarks and the skip link.
    for landmark in (
        '<header class="site-header">',
        '<main id="main"',
        "<footer",
        'class="skip-link" href="#main"',
    ):
        assert landmark in html


def test_root_redirects_to_the_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response.status_code == 302 and response["Location"] == "/ru/"


def test_switcher_keeps_the_page_and_query(client, reference_data):
    html = client.get("/fr/countries/kz/").content.decode()
    assert 'href="/ar/countries/kz/"' in html
    html = client.get("/en/countries/?group=CACEEC").content.decode()
    assert 'href="/zh-hans/countries/?group=CACEEC"' in html


def test_home_lists_beneficiary_countries_in_the_page_language(client, reference_data):
    html = client.get("/ru/").content.decode()
    kyrgyzstan = Country.objects.get(iso2="KG")
    assert kyrgyzstan.names["ru"] in html and 'href="/ru/countries/kg/"' in html
    assert kyrgyzstan.name_en not in html


def test_about_page_lists_the_indicators(client):
    html = client.get("/es/about/").content.decode()
    for code in ("O1", "R1a", "P3b"):
        assert f'<th scope="row">{code}</th>' in html


def test_not_found_page_is_translated_and_has_no_traceback(client):
    response = client.get("/ru/nowhere/")
    assert response.status_code == 404
    with translation.override("ru"):
        title = gettext("Page not found")
    assert title != "Page not found" and title in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_server_error_shows_a_plain_page_without_traceback(client, settings):
    settings.ROOT_URLCONF = "tests.core.failing_urls"
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Traceback" not in html and "ZeroDivisionError" not in html


def test_healthz(client, monkeypatch):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    from django.db import connection

    monkeypatch.setattr(connection, "cursor", refuse)
    failing = client.get("/healthz")
    assert failing.status_code == 503 and failing.json()["database"] == "unavailable"


def test_static_assets_are_local(client, reference_data):
    html = client.get("/en/").content.decode()
    for url in re.findall(r'(?:href|src)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url
    assert client.get("/static/core/ipvalue.css").status_code == 200
