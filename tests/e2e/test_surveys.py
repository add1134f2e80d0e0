"""A respondent answers the case-study questionnaire in Russian, in the browser, across two devices."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from ipvalue.countries.models import Country
from ipvalue.surveys import demo, services
from ipvalue.surveys.models import Invitation, Response

ORGANISATION = "Казпатент"
CASE_TITLE = "Кредит под залог патента на засухоустойчивую пшеницу"
STAFF_MESSAGE = "Введите число от 0 до 100 000."
LOANS_MESSAGE = "Число кредитов должно быть от 1 до 10 000."


def ru(message: str) -> str:
    """The Russian translation of ``message`` (the English text while the catalog lacks it)."""
    with translation.override("ru"):
        return gettext(message)


def by_id(element_id: str) -> str:
    """A selector for an id holding slashes (``f-case_studies/0/case_title``), which ``#...`` would misread."""
    return f'[id="{element_id}"]'


def is_patch(reply) -> bool:
    return "/api/v1/responses/" in reply.url and reply.request.method == "PATCH"


def saved(page: Page, action, status: int = 200) -> dict:
    """Do ``action`` and wait for the answer to be saved through the API; the reply's JSON."""
    with page.expect_response(is_patch) as info:
        action()
    reply = info.value
    assert reply.status == status, reply.text()
    return reply.json()


def stored(invitation: Invitation) -> dict:
    return Response.objects.get(invitation=invitation).answers


@pytest.fixture
def invitation(transactional_db, secretariat) -> Invitation:
    survey = services.survey_import(actor=secretariat, content=demo.case_study_form(), filename="case_studies.xlsx")
    services.survey_publish(actor=secretariat, survey=survey)
    return services.invitation_create(
        actor=secretariat,
        survey=survey,
        email="focal.point@example.kz",
        name="Айгерим",
        language="ru",
        country=Country.objects.get(iso2="KZ"),
    )


def test_respondent_answers_comes_back_from_another_device_adds_a_case_and_submits(
    page, browser, live_server, invitation
):
    link = f"/ru/surveys/r/{invitation.token}/"

    # 1. The invitation opens in Russian; the question on loans is skipped until banks are said to lend.
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#q-organisation label")).to_contain_text("Название вашей организации")
    expect(page.locator("#q-staff label")).to_contain_text("Сколько сотрудников вашей организации занимаются ИС?")
    expect(page.locator("#q-ip_loans legend")).to_contain_text("Выдают ли банки вашей страны кредиты")
    expect(page.locator("#q-case_studies h2")).to_have_text("Пример из практики")
    assert page.locator("#q-loans_count").is_hidden()
    page.evaluate("window.notReloaded = true")  # gone if the page reloads

    # 2. Answers are saved as they are given: on leaving a field, or while typing.
    saved(page, lambda: page.locator("#f-organisation").fill(ORGANISATION) or page.keyboard.press("Tab"))
    saved(page, lambda: page.locator("#f-staff").press_sequentially("25"))  # saved 800 ms after the last key
    assert stored(invitation)["organisation"] == ORGANISATION and stored(invitation)["staff"] == 25

    # 3. A value outside the constraint is refused with the form's Russian message; the stored answer stays.
    reply = saved(page, lambda: page.locator("#f-staff").fill("-4"), status=422)
    assert reply["errors"] == {"staff": STAFF_MESSAGE}
    expect(page.locator("#e-staff")).to_have_text(STAFF_MESSAGE)
    expect(page.locator("#f-staff")).to_have_attribute("aria-invalid", "true")
    assert stored(invitation)["staff"] == 25
    saved(page, lambda: page.locator("#f-staff").fill("30"))
    expect(page.locator("#e-staff")).to_be_hidden()
    assert stored(invitation)["staff"] == 30

    # 4. Skip logic: "Да" shows the question on loans, "Нет" hides it again, without reloading the page.
    yes = page.locator("#q-ip_loans").get_by_label("Да", exact=True)
    no = page.locator("#q-ip_loans").get_by_label("Нет", exact=True)
    saved(page, yes.check)
    expect(page.locator("#q-loans_count")).to_be_visible()
    expect(page.locator("#q-loans_count label")).to_contain_text("Сколько кредитов под залог ИС было выдано")
    assert page.locator("#q-loans_count").is_visible()
    saved(page, lambda: page.locator("#f-loans_count").fill("12") or page.keyboard.press("Tab"))
    assert stored(invitation)["loans_count"] == 12

    reply = saved(page, lambda: page.locator("#f-loans_count").fill("0") or page.keyboard.press("Tab"), status=422)
    assert reply["errors"] == {"loans_count": LOANS_MESSAGE}
    expect(page.locator("#e-loans_count")).to_have_text(LOANS_MESSAGE)
    expect(page.locator("#e-loans_count")).to_be_visible()
    assert stored(invitation)["loans_count"] == 12

    saved(page, no.check)
    expect(page.locator("#q-loans_count")).to_be_hidden()
    assert page.locator("#q-loans_count").is_hidden()
    assert stored(invitation)["ip_loans"] == "no"
    saved(page, yes.check)
    expect(page.locator("#q-loans_count")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True

    saved(page, page.locator("#q-instruments").get_by_label("Кредиты под залог ИС").check)
    saved(page, page.locator("#q-instruments").get_by_label("Гарантии по кредитам").check)
    saved(page, lambda: page.locator("#f-answered_on").fill("2025-03-14"))
    answers = stored(invitation)
    assert answers["instruments"] == ["ip_loan", "guarantee"] and answers["answered_on"] == "2025-03-14"

    # 5. The respondent closes the page and comes back through the link on another device (no cookies, no storage).
    page.close()
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        assert page.goto(link).status == 200
        expect(page.locator("#f-organisation")).to_have_value(ORGANISATION)
        expect(page.locator("#f-staff")).to_have_value("30")
        expect(page.locator("#q-ip_loans").get_by_label("Да", exact=True)).to_be_checked()
        expect(page.locator("#q-loans_count")).to_be_visible()
        expect(page.locator("#f-loans_count")).to_have_value("12")  # the last valid answer, not the refused 0
        expect(page.locator("#e-loans_count")).to_be_hidden()
        expect(page.locator("#q-instruments").get_by_label("Кредиты под залог ИС")).to_be_checked()
        expect(page.locator("#q-instruments").get_by_label("Гарантии по кредитам")).to_be_checked()
        expect(page.locator("#q-instruments").get_by_label("Секьюритизация")).not_to_be_checked()
        expect(page.locator("#f-answered_on")).to_have_value("2025-03-14")
        expect(page.locator("#q-thanks")).to_contain_text("Вы описали примеров: 0. Спасибо!")

        # 6. A case study is added (the page is saved and shown again), then described.
        with page.expect_response(lambda reply: reply.request.method == "POST") as posted:
            page.locator('button[name=action][value="add:case_studies"]').click()
        origin = posted.value.request.header_value("origin")
        assert posted.value.status == 302, f"the page's POST answered {posted.value.status} (Origin: {origin})"
        page.wait_for_url(f"**{link}#q-case_studies/0")
        title = page.locator(by_id("f-case_studies/0/case_title"))
        amount = page.locator(by_id("f-case_studies/0/case_amount"))
        expect(title).to_be_visible()
        expect(page.locator(by_id("q-case_studies/0/case_title"))).to_contain_text("Название примера")
        expect(page.locator("#q-thanks")).to_contain_text("Вы описали примеров: 1. Спасибо!")
        saved(page, lambda: title.fill(CASE_TITLE) or page.keyboard.press("Tab"))
        reply = saved(page, lambda: amount.fill("250000") or page.keyboard.press("Tab"))
        assert reply["answers"]["case_count"] == "1"  # a calculation, kept as text as in ODK
        thanks = next(question for question in reply["questions"] if question["path"] == "thanks")
        assert thanks["label"] == "Вы описали примеров: 1. Спасибо!"
        expect(page.locator("#q-thanks")).to_have_text("Вы описали примеров: 1. Спасибо!")
        assert stored(invitation)["case_studies"] == [{"case_title": CASE_TITLE, "case_amount": 250000}]

        # 7. Submitted: the response is locked with every answer; the respondent sees the thank-you page once, and the
        # link, its only use spent, then shows the "already submitted" page (410) without any answer.
        landing = page.url.split("#")[0]
        with page.expect_response(lambda reply: reply.url == landing and reply.request.method == "GET") as info:
            page.locator('button[name=action][value="submit"]').click()
        assert info.value.status == 200
        expect(page.locator("h1")).to_have_text(ru("Thank you: your answers are submitted"))
        response = Response.objects.get(invitation=invitation)
        assert response.status == "submitted" and response.submitted_at is not None
        assert response.answers == {
            "organisation": ORGANISATION,
            "staff": 30,
            "ip_loans": "yes",
            "loans_count": 12,
            "instruments": ["ip_loan", "guarantee"],
            "case_studies": [{"case_title": CASE_TITLE, "case_amount": 250000}],
            "case_count": "1",
            "answered_on": "2025-03-14",
        }
        again = page.goto(link)
        assert again.status == 410
        expect(page.locator("h1")).to_have_text(ru("Answers were already submitted through this link"))
        assert ORGANISATION not in page.content()
    finally:
        context.close()
