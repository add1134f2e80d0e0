"""Proposals of practices, obstacles and institutions on the web; faceted search of practices; the comparison as PDF."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from pypdf import PdfReader

from ipvalue.countries.models import Country
from ipvalue.knowledge import selectors, services
from ipvalue.knowledge.models import Institution, Obstacle, Practice, ReviewStatus, Term, TermKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(reference_data):
    def make(kind, code, en, ru=""):
        return Term.objects.create(kind=kind, code=code, names={"en": en, **({"ru": ru} if ru else {})})

    return {
        "loan": make(TermKind.INSTRUMENT, "ip_backed_loan", "IP-backed loan", "Кредит под залог ИС"),
        "guarantee": make(TermKind.INSTRUMENT, "loan_guarantee", "Loan guarantee"),
        "income": make(TermKind.METHOD, "income", "Income approach"),
        "cost": make(TermKind.METHOD, "cost", "Cost approach"),
        "sme": make(TermKind.STAKEHOLDER_GROUP, "sme", "SMEs"),
        "bank": make(TermKind.STAKEHOLDER_GROUP, "bank", "Banks"),
        "legal": make(TermKind.OBSTACLE, "no_pledge_register", "No register of pledges"),
        "pledge": Term.objects.create(
            kind=TermKind.PROVISION, code="ip_pledge_allowed", value_type="yes_no",
            names={"en": "IP can be pledged", "ru": "ИС может быть предметом залога"},
        ),
    }  # fmt: skip


def practice(actor, iso2, title, *, instrument=None, methods=(), groups=(), outcome="unknown", publish=True, **extra):
    record = services.practice_propose(
        actor=actor, country=Country.objects.get(iso2=iso2), titles={"en": title}, source_title="Annual report",
        instrument=instrument, methods=list(methods), stakeholder_groups=list(groups), outcome=outcome, **extra,
    )  # fmt: skip
    if publish:
        services.record_review(actor=actor, record=record, publish=True)
    return record


# --------------------------------------------------------------------------------------------------------- proposals


def test_a_coordinator_proposes_a_practice_for_their_country_on_the_web(client, coordinator_kz, terms):
    client.force_login(coordinator_kz)
    page = client.get("/en/knowledge/propose/practice/").content.decode()
    assert "Kazakhstan" in page and "Uzbekistan" not in page  # only their countries to choose from
    data = {
        "country": Country.objects.get(iso2="KZ").pk, "language": "ru", "title": "Кредит под залог патента",
        "description": "Банк выдал кредит", "instrument": terms["loan"].pk, "methods": [terms["income"].pk],
        "stakeholder_groups": [terms["sme"].pk, terms["bank"].pk], "figures": "50 000 000 KZT", "year": "2024",
        "outcome": "successful", "source_title": "Отчёт банка", "source_url": "", "source_date": "2025",
    }  # fmt: skip
    assert client.post("/en/knowledge/propose/practice/", data).status_code == 302
    proposed = Practice.objects.get()
    assert proposed.status == ReviewStatus.PROPOSED and proposed.entered_by == coordinator_kz
    assert proposed.titles == {"ru": "Кредит под залог патента"} and proposed.descriptions == {
        "ru": "Банк выдал кредит"
    }
    assert sorted(proposed.stakeholder_groups) == ["bank", "sme"]
    assert [method.code for method in proposed.methods.all()] == ["income"]
    # another country is refused by the form, with the field named, and nothing is saved
    refused = client.post("/en/knowledge/propose/practice/", {**data, "country": Country.objects.get(iso2="UZ").pk})
    assert refused.status_code == 422 and 'id="id_country_error"' in refused.content.decode()
    assert Practice.objects.count() == 1
    with pytest.raises(PermissionDenied):
        practice(coordinator_kz, "UZ", "Not theirs", publish=False)


def test_bad_practice_input_is_refused_with_the_field_named(secretariat, terms):
    with pytest.raises(ValidationError) as refused:
        practice(secretariat, "KZ", "A", year=1700, publish=False)
    assert "year" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        practice(secretariat, "KZ", "A", outcome="brilliant", publish=False)
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        practice(secretariat, "KZ", "A", instrument=terms["income"], publish=False)
    assert "instrument" in refused.value.message_dict
    assert not Practice.objects.exists()


def test_obstacles_are_proposed_on_the_web_with_a_severity(client, coordinator_kz, terms):
    client.force_login(coordinator_kz)
    kz = Country.objects.get(iso2="KZ").pk
    data = {
        "country": kz, "type": terms["legal"].pk, "severity": "4", "description": "Залоги не регистрируются",
        "source_title": "Гражданский кодекс", "source_url": "https://adilet.zan.kz/", "source_date": "2023",
    }  # fmt: skip
    assert client.post("/en/knowledge/propose/obstacle/", data).status_code == 302
    obstacle = Obstacle.objects.get()
    assert (obstacle.severity, obstacle.source_url, obstacle.status) == (4, "https://adilet.zan.kz/", "proposed")
    bad = client.post("/ru/knowledge/propose/obstacle/", {**data, "severity": "9"})
    assert bad.status_code == 422 and Obstacle.objects.count() == 1
    with pytest.raises(ValidationError) as refused:
        services.obstacle_propose(
            actor=coordinator_kz, country=Country.objects.get(iso2="KZ"), type=terms["loan"], source_title="x"
        )
    assert "type" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.obstacle_propose(
            actor=coordinator_kz, country=Country.objects.get(iso2="KZ"), type=terms["legal"], source_title="x",
            severity=0,
        )  # fmt: skip
    assert "severity" in refused.value.message_dict


def test_an_institution_is_published_only_after_review(client, coordinator_kz, secretariat, terms):
    client.force_login(coordinator_kz)
    kz = Country.objects.get(iso2="KZ")
    data = {"country": kz.pk, "kind": "ip_office", "language": "en", "name": "National Institute of IP",
            "role": "Registers pledges of patents", "website": "https://kazpatent.kz", "source_title": "Statute",
            "source_url": "", "source_date": ""}  # fmt: skip
    assert client.post("/en/knowledge/propose/institution/", data).status_code == 302
    institution = Institution.objects.get()
    assert institution.names == {"en": "National Institute of IP"}
    assert "National Institute of IP" not in client.get("/en/countries/kz/").content.decode()
    assert client.get("/api/v1/countries/KZ/profile").json()["institutions"] == []
    client.force_login(secretariat)
    queue = client.get("/en/knowledge/review/").content.decode()
    head, body = queue.split("</head>")
    assert "National Institute of IP" in body and "National Institute of IP" not in head
    client.post("/en/knowledge/review/", {"kind": "institution", "pk": institution.pk, "decision": "publish"})
    institution.refresh_from_db()
    assert institution.status == ReviewStatus.PUBLISHED and institution.reviewed_by == secretariat
    client.logout()
    assert "National Institute of IP" in client.get("/en/countries/kz/").content.decode()
    [served] = client.get("/api/v1/countries/KZ/profile").json()["institutions"]
    assert served["kind"] == "ip_office" and served["source"]["title"] == "Statute"
    with pytest.raises(ValidationError) as refused:
        services.institution_propose(actor=secretariat, country=kz, names={"en": " "}, kind="bank", source_title="x")
    assert "names" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.institution_propose(actor=secretariat, country=kz, names={"en": "A"}, kind="casino", source_title="x")
    assert "kind" in refused.value.message_dict


def test_proposal_pages_are_closed_to_others(client, stakeholder, terms):
    assert client.get("/en/knowledge/propose/obstacle/").status_code == 302  # to the login page
    client.force_login(stakeholder)
    assert client.get("/en/knowledge/propose/obstacle/").status_code == 403
    assert client.get("/en/knowledge/propose/nonsense/").status_code == 403


# --------------------------------------------------------------------------------------------------------- search


@pytest.fixture
def catalogue(secretariat, terms):
    return {
        "kz_loan": practice(secretariat, "KZ", "Patent-backed loan", instrument=terms["loan"],
                            methods=[terms["income"]], groups=["sme", "bank"], outcome="successful",
                            descriptions={"en": "A bank lent against a pharmaceutical patent."}),
        "sg_loan": practice(secretariat, "SG", "IP financing scheme", instrument=terms["loan"],
                            methods=[terms["income"], terms["cost"]], groups=["bank"], outcome="partly"),
        "kr_guarantee": practice(secretariat, "KR", "Technology guarantee", instrument=terms["guarantee"],
                                 methods=[terms["cost"]], groups=["sme"], outcome="successful"),
        "unpublished": practice(secretariat, "KZ", "Unpublished loan", instrument=terms["loan"], publish=False),
        "demo": services.practice_propose(
            actor=secretariat, country=Country.objects.get(iso2="KZ"), titles={"en": "Demo loan"},
            source_title="Demo", instrument=terms["loan"], is_demo=True,
        ),
    }  # fmt: skip


def titles(found):
    return sorted(record.titles["en"] for record in found["results"])


def test_faceted_search_combines_facets_and_counts_with_the_other_choices(catalogue):
    everything = selectors.practice_search(filters={})
    assert titles(everything) == ["IP financing scheme", "Patent-backed loan", "Technology guarantee"]
    assert everything["counts"]["instrument"] == {"ip_backed_loan": 2, "loan_guarantee": 1}
    assert everything["counts"]["method"] == {"income": 2, "cost": 2}
    loans = selectors.practice_search(filters={"instrument": ["ip_backed_loan"]})
    assert titles(loans) == ["IP financing scheme", "Patent-backed loan"]
    # the instrument facet still counts every instrument (ticking another one adds results) ...
    assert loans["counts"]["instrument"] == {"ip_backed_loan": 2, "loan_guarantee": 1}
    # ... the other facets count within the loans only
    assert loans["counts"]["outcome"] == {"successful": 1, "partly": 1}
    assert loans["counts"]["group"] == {"sme": 1, "bank": 2}
    both = selectors.practice_search(filters={"instrument": ["ip_backed_loan"], "group": ["sme"]})
    assert titles(both) == ["Patent-backed loan"]
    either_country = selectors.practice_search(filters={"country": ["KZ", "KR"], "outcome": ["successful"]})
    assert titles(either_country) == ["Patent-backed loan", "Technology guarantee"]
    assert titles(selectors.practice_search(filters={}, text="PHARMACEUTICAL bank")) == ["Patent-backed loan"]
    assert titles(selectors.practice_search(filters={"method": ["cost"], "country": ["KZ"]})) == []


def test_the_search_page_shows_counts_and_downloads_the_results(client, catalogue):
    page = client.get("/en/knowledge/practices/?instrument=ip_backed_loan&country=kz").content.decode()
    assert "Patent-backed loan" in page and "IP financing scheme" not in page
    assert "Unpublished loan" not in page and "Demo loan" not in page
    assert "1 result" in page
    assert 'value="ip_backed_loan" checked' in page
    download = client.get("/en/knowledge/practices/?instrument=ip_backed_loan&format=csv")
    rows = list(csv.DictReader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    assert sorted(row["title_en"] for row in rows) == ["IP financing scheme", "Patent-backed loan"]
    with translation.override("ru"):
        russian = client.get("/ru/knowledge/practices/").content.decode()
    assert "Кредит под залог ИС" in russian  # the facet value's name in Russian
    empty = client.get("/en/knowledge/practices/?outcome=unsuccessful").content.decode()
    assert "No published practice matches these choices." in empty


# --------------------------------------------------------------------------------------------------------- PDF


def test_the_comparison_downloads_as_a_pdf_with_values_and_sources(client, secretariat, terms):
    for iso2, value in (("KZ", "yes"), ("AM", "no")):
        fact = services.fact_propose(
            actor=secretariat, country=Country.objects.get(iso2=iso2), provision=terms["pledge"], value=value,
            source_title=f"Civil Code of {iso2}", source_article="art. 3",
        )  # fmt: skip
        services.record_review(actor=secretariat, record=fact, publish=True)
    services.fact_propose(
        actor=secretariat, country=Country.objects.get(iso2="UZ"), provision=terms["pledge"], value="yes",
        source_title="Unreviewed",
    )  # fmt: skip
    response = client.get("/ru/knowledge/compare/?countries=KZ,AM,UZ&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "ИС может быть предметом залога" in text
    assert "Civil Code of KZ" in text and "Civil Code of AM" in text and "Unreviewed" not in text
    assert "Казахстан" in text and "Да" in text and "Нет" in text
    with translation.override("ru"):
        assert reader.metadata.title.startswith(translation.gettext("Comparison of countries") + ": Казахстан")


def test_a_comparison_of_many_countries_is_split_into_readable_tables(client, secretariat, terms):
    codes = ["KZ", "UZ", "AM", "GE", "AZ", "KG", "TJ", "MD"]
    response = client.get(f"/en/knowledge/compare/?countries={','.join(codes)}&format=pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert text.count("IP can be pledged") == 2  # two tables of at most six countries
    assert "Republic of Moldova" in text or "Moldova" in text


def test_the_api_filters_practices_by_facet_and_gives_counts(client, catalogue):
    served = client.get("/api/v1/knowledge/practices?instrument=ip_backed_loan&group=sme").json()
    assert [item["title"] for item in served] == ["Patent-backed loan"]
    assert len(client.get("/api/v1/knowledge/practices").json()) == 3  # unpublished and demo left out
    search = client.get("/api/v1/knowledge/practices/search?country=kz,sg&outcome=partly").json()
    assert search["count"] == 1 and search["results"][0]["country"] == "SG"
    assert search["facets"]["outcome"] == {"successful": 1, "partly": 1}


def test_the_knowledge_base_front_page_counts_what_is_published(client, catalogue):
    page = client.get("/en/knowledge/").content.decode()
    assert "Knowledge base" in page and 'href="/en/knowledge/practices/"' in page
    assert "<dt>Practices and case studies</dt><dd>3</dd>" in page


def test_a_practice_has_its_own_page_for_the_public_once_published(client, secretariat, catalogue):
    published = catalogue["kz_loan"]
    page = client.get(f"/en/knowledge/practices/{published.pk}/").content.decode()
    assert "Patent-backed loan" in page and "Income approach" in page and "SMEs, Banks" in page
    assert "Translations" not in page  # the public cannot edit
    assert client.get(f"/en/knowledge/practices/{catalogue['unpublished'].pk}/").status_code == 404
    assert client.get(f"/en/knowledge/practices/{catalogue['demo'].pk}/").status_code == 404
    client.force_login(secretariat)
    assert client.get(f"/en/knowledge/practices/{catalogue['unpublished'].pk}/").status_code == 200


def test_the_secretariat_translates_a_practice_and_readers_see_their_language(
    client, secretariat, coordinator_kz, catalogue
):
    practice = catalogue["kz_loan"]
    url = f"/en/knowledge/translate/practice/{practice.pk}/"
    client.force_login(coordinator_kz)
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    form = client.get(url).content.decode()
    assert 'lang="ar" dir="rtl"' in form and 'value="Patent-backed loan"' in form
    data = {
        f"{field}__{code}": ""
        for field in ("titles", "descriptions")
        for code in ("en", "fr", "es", "ru", "zh-hans", "ar")
    }
    data |= {"titles__en": "Patent-backed loan", "titles__ru": "Кредит под залог патента",
             "descriptions__ru": "Банк выдал кредит под залог фармацевтического патента."}  # fmt: skip
    assert client.post(url, data).status_code == 302
    practice.refresh_from_db()
    assert practice.titles == {"en": "Patent-backed loan", "ru": "Кредит под залог патента"}
    assert practice.descriptions == {"ru": "Банк выдал кредит под залог фармацевтического патента."}  # en emptied
    client.logout()
    with translation.override("ru"):
        assert "Кредит под залог патента" in client.get(f"/ru/knowledge/practices/{practice.pk}/").content.decode()
    client.force_login(secretariat)
    emptied = client.post(url, {**data, "titles__en": "", "titles__ru": ""})
    assert emptied.status_code == 422
    practice.refresh_from_db()
    assert practice.titles["ru"] == "Кредит под залог патента"  # nothing lost


def test_the_country_history_shows_who_proposed_and_who_published_a_record(client, coordinator_kz, secretariat, terms):
    obstacle = services.obstacle_propose(
        actor=coordinator_kz, country=Country.objects.get(iso2="KZ"), type=terms["legal"], source_title="Code",
        severity=4,
    )  # fmt: skip
    services.record_review(actor=secretariat, record=obstacle, publish=True, note="Checked against the code")
    client.force_login(coordinator_kz)
    page = client.get("/en/countries/kz/history/").content.decode()
    rows = [row for row in page.split("<tr>") if "KZ no_pledge_register" in row]
    assert len(rows) == 2  # proposed, then published
    assert "sofia" in rows[0] and "Checked against the code" in rows[0]
    assert "aigerim" in rows[1]
