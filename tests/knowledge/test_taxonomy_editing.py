"""The Secretariat edits the taxonomy on the web: who may, names in six languages, history, fixed codes, choices in
use, retiring, versions, and the export that ``taxonomy_load`` reads back."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ipvalue.countries.models import Country
from ipvalue.knowledge import services, taxonomy
from ipvalue.knowledge.forms import FactForm
from ipvalue.knowledge.models import Term, TermKind
from ipvalue.knowledge.services import TAXONOMY_FILE

pytestmark = pytest.mark.django_db

NAMES = {
    "en": "Cost approach (revised)",
    "fr": "Approche par les coûts (révisée)",
    "es": "Enfoque del costo (revisado)",
    "ru": "Затратный подход (пересмотренный)",
    "zh-hans": "成本法（修订）",
    "ar": "أسلوب التكلفة (منقح)",
}


@pytest.fixture
def loaded(reference_data):
    services.taxonomy_load()


def get(kind, code):
    return Term.objects.get(kind=kind, code=code)


def edit_data(term, **overrides):
    """The edit page's form as the browser sends it, unchanged unless overridden."""
    data = {
        "category": term.category, "stip_codes": " ".join(term.stip_codes), "parent": term.parent_id or "",
        "position": term.position, "choice_rows": len(term.choices) + 3,
    }  # fmt: skip
    if term.active:
        data["active"] = "on"
    for language in ("en", "fr", "es", "ru", "zh-hans", "ar"):
        suffix = language.replace("-", "_")
        data[f"name_{suffix}"] = term.names.get(language, "")
        data[f"description_{suffix}"] = term.descriptions.get(language, "")
    if term.kind == TermKind.PROVISION:
        data["value_type"] = term.value_type
        for index, choice in enumerate(term.choices):
            data[f"choice_{index}_code"] = choice["code"]
            for language, name in choice["name"].items():
                data[f"choice_{index}_name_{language.replace('-', '_')}"] = name
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_url(term, language="en"):
    return f"/{language}/knowledge/taxonomy/{term.kind}/{term.code}/"


def publish_fact(secretariat, provision, value):
    fact = services.fact_propose(
        actor=secretariat, country=Country.objects.get(iso2="KZ"), provision=provision, value=value,
        source_title="Civil Code",
    )  # fmt: skip
    return services.record_review(actor=secretariat, record=fact, publish=True)


def test_only_the_secretariat_reaches_the_taxonomy_pages(client, loaded, secretariat, coordinator_kz):
    term = get(TermKind.METHOD, "cost")
    urls = [
        "/en/knowledge/taxonomy/", "/en/knowledge/taxonomy/export.json", "/en/knowledge/taxonomy/add/method/",
        edit_url(term), edit_url(term) + "history/",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    client.force_login(coordinator_kz)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(edit_url(term), edit_data(term, name_en="Hijacked")).status_code == 403
    assert client.post(edit_url(term) + "retire/").status_code == 403
    term.refresh_from_db()
    assert term.names["en"] == "Cost approach" and term.active
    with pytest.raises(PermissionDenied):
        taxonomy.term_update(actor=coordinator_kz, term=term, names=NAMES)
    client.force_login(secretariat)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_names_in_six_languages_then_the_russian_page_shows_the_russian_name(client, loaded, secretariat):
    term = get(TermKind.METHOD, "cost")
    client.force_login(secretariat)
    page = client.get(edit_url(term)).content.decode()
    assert 'name="name_ar"' in page and 'lang="ar"' in page and 'dir="rtl"' in page
    assert 'name="code"' not in page  # the code is shown, never edited
    fields = {f"name_{code.replace('-', '_')}": name for code, name in NAMES.items()}
    response = client.post(edit_url(term), edit_data(term, **fields))
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.names == NAMES
    with translation.override("ru"):
        listing = client.get("/ru/knowledge/taxonomy/?kind=method").content.decode()
        assert NAMES["ru"] in listing and NAMES["en"] not in listing
        assert term.name == NAMES["ru"]


def test_the_history_lists_each_change_with_its_actor_newest_first(client, loaded, make_user, secretariat):
    term = get(TermKind.METHOD, "cost")
    taxonomy.term_update(actor=secretariat, term=term, names={**term.names, "ru": "Затратный подход (пересмотренный)"})
    other = make_user("olga", "secretariat")
    taxonomy.term_update(actor=other, term=term, stip_codes=["PI012"])
    entries = taxonomy.term_history(term=term)
    assert [item["entry"].actor for item in entries[:2]] == [other, secretariat]
    assert {"field": "name (ru)", "old": "Затратный подход", "new": "Затратный подход (пересмотренный)",
            "language": "ru"} in entries[1]["changes"]  # fmt: skip
    client.force_login(secretariat)
    page = client.get(edit_url(term) + "history/").content.decode()
    assert page.index("olga") < page.index("sofia")
    assert "Затратный подход (пересмотренный)" in page and "PI012" in page
    assert "knowledge.Fact" not in page  # reverse relations are not fields of the term
    created = taxonomy.term_history(term=term)[-1]
    assert created["entry"].get_action_display().lower() == "create"
    assert {"field": "name (en)", "old": "", "new": "Cost approach", "language": "en"} in created["changes"]


def test_code_and_kind_are_fixed_after_creation(client, loaded, secretariat):
    term = get(TermKind.INSTRUMENT, "ip_backed_loan")
    client.force_login(secretariat)
    response = client.post(edit_url(term), edit_data(term, code="renamed_loan", kind="method", name_en="IP loan"))
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.kind, term.code, term.names["en"]) == (TermKind.INSTRUMENT, "ip_backed_loan", "IP loan")
    with pytest.raises(ValidationError) as refused:
        taxonomy.term_update(actor=secretariat, term=term, code="renamed_loan")
    assert "code" in refused.value.message_dict
    assert get(TermKind.INSTRUMENT, "ip_backed_loan").code == "ip_backed_loan"


def test_adding_a_term_needs_a_unique_slug_and_an_english_name(client, loaded, secretariat):
    client.force_login(secretariat)
    url = "/en/knowledge/taxonomy/add/instrument/"
    before = Term.objects.count()
    response = client.post(url, {"code": "ip_backed_loan", "name_en": "Another loan", "choice_rows": "0"})
    assert response.status_code == 422
    assert "ip_backed_loan" in response.context["form"].errors["code"][0]
    response = client.post(url, {"code": "new_instrument", "name_fr": "Nouvel instrument", "choice_rows": "0"})
    assert response.status_code == 422 and "name_en" in response.context["form"].errors
    with pytest.raises(ValidationError) as refused:
        taxonomy.term_create(actor=secretariat, kind=TermKind.INSTRUMENT, code="Not A Slug", names={"en": "X"})
    assert set(refused.value.message_dict) == {"code"}
    assert Term.objects.count() == before
    response = client.post(url, {"code": "ip_crowdfunding", "name_en": "IP crowdfunding", "choice_rows": "0"})
    assert response.status_code == 302
    created = get(TermKind.INSTRUMENT, "ip_crowdfunding")
    last = Term.objects.filter(kind=TermKind.INSTRUMENT).order_by("-position").first()
    assert created == last and created.active and created.version == taxonomy.taxonomy_version()


def test_a_choice_used_by_a_published_fact_cannot_be_removed_or_recoded(client, loaded, secretariat):
    provision = get(TermKind.PROVISION, "security_interest_register")
    publish_fact(secretariat, provision, "ip_office")
    index = [choice["code"] for choice in provision.choices].index("ip_office")
    client.force_login(secretariat)
    response = client.post(edit_url(provision), edit_data(provision, **{f"choice_{index}_remove": "on"}))
    assert response.status_code == 422
    message = " ".join(response.context["form"].errors["choice_rows"])
    assert "ip_office" in message and "1 fact " in message
    response = client.post(edit_url(provision), edit_data(provision, **{f"choice_{index}_code": "ip_office_register"}))
    assert response.status_code == 422
    provision.refresh_from_db()
    assert [choice["code"] for choice in provision.choices] == ["ip_office", "general_collateral", "both", "none"]
    # Renaming a used choice, and removing an unused one, are fine.
    unused = [choice["code"] for choice in provision.choices].index("none")
    response = client.post(
        edit_url(provision),
        edit_data(
            provision, **{f"choice_{index}_name_ru": "Реестр патентного ведомства", f"choice_{unused}_remove": "on"}
        ),
    )
    assert response.status_code == 302
    provision.refresh_from_db()
    assert [choice["code"] for choice in provision.choices] == ["ip_office", "general_collateral", "both"]
    assert provision.choices[0]["name"]["ru"] == "Реестр патентного ведомства"


def test_a_retired_term_leaves_the_proposal_form_and_stays_on_its_records(client, loaded, secretariat):
    provision = get(TermKind.PROVISION, "ip_pledge_allowed")
    fact = publish_fact(secretariat, provision, "yes")
    assert provision in FactForm(user=secretariat).fields["provision"].queryset
    client.force_login(secretariat)
    assert client.post(edit_url(provision) + "retire/", {"action": "retire"}).status_code == 302
    provision.refresh_from_db()
    assert not provision.active
    assert provision not in FactForm(user=secretariat).fields["provision"].queryset
    fact.refresh_from_db()
    assert fact.provision == provision
    page = client.get("/en/knowledge/taxonomy/?kind=provision").content.decode()
    assert "Retired" in page and "Facts: 1" in page
    exported = taxonomy.taxonomy_export(actor=secretariat)
    assert "ip_pledge_allowed" not in [item["code"] for item in exported["terms"]]
    # A term with sub-terms in use cannot be retired before them.
    with pytest.raises(ValidationError) as refused:
        taxonomy.term_retire(actor=secretariat, term=get(TermKind.METHOD, "cost"))
    assert "reproduction_cost" in refused.value.message_dict["active"][0]
    assert get(TermKind.METHOD, "cost").active


def test_the_parent_is_a_term_of_the_same_kind(loaded, secretariat):
    term = get(TermKind.METHOD, "reproduction_cost")
    with pytest.raises(ValidationError) as refused:
        taxonomy.term_update(actor=secretariat, term=term, parent=get(TermKind.INSTRUMENT, "ip_backed_loan"))
    assert "parent" in refused.value.message_dict
    with pytest.raises(ValidationError):
        taxonomy.term_update(actor=secretariat, term=get(TermKind.METHOD, "cost"), parent=term)  # a cycle
    assert get(TermKind.METHOD, "reproduction_cost").parent.code == "cost"


def test_the_list_filters_by_kind_and_missing_translation(client, loaded, secretariat):
    term = get(TermKind.OBSTACLE, Term.objects.filter(kind=TermKind.OBSTACLE).first().code)
    taxonomy.term_update(actor=secretariat, term=term, names={**term.names, "ru": ""})
    client.force_login(secretariat)
    response = client.get("/en/knowledge/taxonomy/?missing=ru")
    shown = [row["term"] for group in response.context["groups"] for row in group["rows"]]
    assert shown == [term]
    assert response.context["groups"][3]["rows"][0]["missing_names"] == ["ru"]
    response = client.get("/en/knowledge/taxonomy/?kind=stakeholder_group")
    assert [group["kind"] for group in response.context["groups"]] == ["stakeholder_group"]


def test_the_export_of_the_shipped_taxonomy_is_the_data_file(client, loaded, secretariat):
    client.force_login(secretariat)
    response = client.get("/en/knowledge/taxonomy/export.json")
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.decode("utf-8") == TAXONOMY_FILE.read_text(encoding="utf-8")


def snapshot():
    """The terms as the taxonomy defines them: everything but database ids, position numbers (the order is kept) and
    versions (the file has one version for the whole taxonomy)."""
    return [
        (term.kind, term.code, term.names, term.descriptions, term.value_type, term.choices, term.category,
         term.stip_codes, term.parent.code if term.parent else None, term.active)
        for term in Term.objects.select_related("parent").order_by("kind", "position", "code")
    ]  # fmt: skip


def test_the_export_loads_back_into_a_fresh_database_as_equal_terms(loaded, secretariat, tmp_path):
    cost = get(TermKind.METHOD, "cost")
    taxonomy.term_update(actor=secretariat, term=cost, names=NAMES, stip_codes="pi012, TG40")
    taxonomy.term_update(actor=secretariat, term=get(TermKind.METHOD, "replacement_cost"), position=0, parent=None)
    taxonomy.term_create(
        actor=secretariat, kind=TermKind.PROVISION, code="ip_valuation_registry", value_type="choice",
        names={"en": "Registry of valuers", "ru": "Реестр оценщиков"}, descriptions={"en": "Who keeps it."},
        choices=[{"code": "ip_office", "name": {"en": "IP office", "ar": "مكتب الملكية الفكرية"}},
                 {"code": "none", "name": {"en": "None"}}],
    )  # fmt: skip
    taxonomy.term_retire(actor=secretariat, term=get(TermKind.OBSTACLE, Term.objects.filter(kind="obstacle")[0].code))
    text = taxonomy.taxonomy_export_text(actor=secretariat)
    before = [item for item in snapshot() if item[9]]  # the retired term is not exported
    path = tmp_path / "taxonomy.json"
    path.write_text(text, encoding="utf-8")

    Term.objects.all().delete()  # a fresh database: no term at all
    services.taxonomy_load(path)

    assert snapshot() == before
    assert {term.version for term in Term.objects.all()} == {json.loads(text)["version"]}
    assert taxonomy.taxonomy_export_text(actor=secretariat) == text


def test_each_saved_edit_sets_the_terms_version_and_changes_the_taxonomys(client, loaded, secretariat):
    assert taxonomy.taxonomy_version() == "2026-11"
    term = get(TermKind.METHOD, "cost")
    taxonomy.term_update(actor=secretariat, term=term, names={**term.names, "en": "Cost approach (1)"})
    first = taxonomy.taxonomy_version()
    assert first != "2026-11" and get(TermKind.METHOD, "cost").version == first
    taxonomy.term_update(actor=secretariat, term=term, names={**term.names, "en": "Cost approach (2)"})
    second = taxonomy.taxonomy_version()
    assert second != first and get(TermKind.METHOD, "cost").version == second  # even within the same second
    taxonomy.term_update(actor=secretariat, term=term, names=dict(term.names))  # nothing changed: nothing saved
    assert taxonomy.taxonomy_version() == second
    client.force_login(secretariat)
    assert client.get("/en/knowledge/taxonomy/export.json").json()["version"] == second
    other = get(TermKind.INSTRUMENT, "ip_backed_loan")
    client.post(edit_url(other), edit_data(other, name_fr="Prêt adossé à la PI"))
    assert client.get("/en/knowledge/taxonomy/export.json").json()["version"] not in ("2026-11", first, second)


def test_choices_are_checked_and_a_used_provision_keeps_its_type_of_value(loaded, secretariat):
    provision = get(TermKind.PROVISION, "security_interest_register")
    with pytest.raises(ValidationError) as refused:
        taxonomy.term_update(
            actor=secretariat, term=provision,
            choices=[{"code": "both", "name": {"en": "Both"}}, {"code": "both", "name": {"fr": "Les deux"}}],
        )  # fmt: skip
    messages = " ".join(refused.value.message_dict["choices"])
    assert "given twice" in messages and "English" in messages
    publish_fact(secretariat, provision, "both")
    with pytest.raises(ValidationError) as refused:
        taxonomy.term_update(actor=secretariat, term=provision, value_type="text", choices=[])
    assert "value_type" in refused.value.message_dict
    provision.refresh_from_db()
    assert provision.value_type == "choice" and len(provision.choices) == 4
