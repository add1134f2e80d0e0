"""Demonstration questionnaires for ``make run``, written as XLSForm rows and read through the importer.

``case_study_form()`` is a short questionnaire on IP-backed finance practices (English, French, Russian) that uses
what the engine supports: groups, a repeat of case studies, skip logic, constraints with messages, choices, a
calculation and a note. ``feedback_form()`` is an open event-feedback form. Both are built as ``.xlsx`` workbooks in
memory so that the demo exercises the same import path as an uploaded file.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

LANGS = ("English (en)", "Français (fr)", "Русский (ru)")

# type, name, labels (en, fr, ru), extra columns
CASE_STUDY_SURVEY: list[dict[str, Any]] = [
    {"type": "begin_group", "name": "institution",
     "label": ("Your institution", "Votre institution", "Ваше учреждение")},
    {"type": "text", "name": "organisation", "required": "yes",
     "label": ("Name of your organisation", "Nom de votre organisation", "Название вашей организации")},
    {"type": "integer", "name": "staff", "constraint": ". >= 0 and . <= 100000",
     "constraint_message": ("Enter a number between 0 and 100,000.", "Entrez un nombre entre 0 et 100 000.",
                            "Введите число от 0 до 100 000."),
     "label": ("How many people work on IP in your organisation?",
               "Combien de personnes travaillent sur la PI dans votre organisation ?",
               "Сколько сотрудников вашей организации занимаются ИС?")},
    {"type": "end_group"},
    {"type": "select_one yes_no", "name": "ip_loans", "required": "yes",
     "label": ("Do banks in your country lend against intellectual property?",
               "Les banques de votre pays prêtent-elles en garantie de la propriété intellectuelle ?",
               "Выдают ли банки вашей страны кредиты под залог интеллектуальной собственности?")},
    {"type": "integer", "name": "loans_count", "relevant": "${ip_loans} = 'yes'",
     "constraint": ". >= 1 and . <= 10000",
     "constraint_message": ("The number of loans must be between 1 and 10,000.",
                            "Le nombre de prêts doit être compris entre 1 et 10 000.",
                            "Число кредитов должно быть от 1 до 10 000."),
     "label": ("How many IP-backed loans were granted last year?",
               "Combien de prêts garantis par la PI ont été accordés l'an dernier ?",
               "Сколько кредитов под залог ИС было выдано в прошлом году?")},
    {"type": "select_multiple instruments", "name": "instruments",
     "label": ("Which instruments exist in your country?", "Quels instruments existent dans votre pays ?",
               "Какие инструменты существуют в вашей стране?")},
    {"type": "begin_repeat", "name": "case_studies",
     "label": ("Case study", "Étude de cas", "Пример из практики")},
    {"type": "text", "name": "case_title", "required": "yes",
     "label": ("Title of the case", "Titre du cas", "Название примера")},
    {"type": "decimal", "name": "case_amount", "constraint": ". > 0",
     "constraint_message": ("The amount must be positive.", "Le montant doit être positif.",
                            "Сумма должна быть положительной."),
     "label": ("Amount financed (USD)", "Montant financé (USD)", "Сумма финансирования (долл. США)")},
    {"type": "end_repeat"},
    {"type": "calculate", "name": "case_count", "calculation": "count(${case_studies})"},
    {"type": "note", "name": "thanks",
     "label": ("You described ${case_count} case(s). Thank you!",
               "Vous avez décrit ${case_count} cas. Merci !",
               "Вы описали примеров: ${case_count}. Спасибо!")},
    {"type": "date", "name": "answered_on", "constraint": ". <= today()",
     "constraint_message": ("The date cannot be in the future.", "La date ne peut pas être dans le futur.",
                            "Дата не может быть в будущем."),
     "label": ("Date of your answer", "Date de votre réponse", "Дата вашего ответа")},
]  # fmt: skip

CASE_STUDY_CHOICES: list[tuple[str, str, tuple[str, str, str]]] = [
    ("yes_no", "yes", ("Yes", "Oui", "Да")),
    ("yes_no", "no", ("No", "Non", "Нет")),
    ("instruments", "ip_loan", ("IP-backed loans", "Prêts garantis par la PI", "Кредиты под залог ИС")),
    ("instruments", "guarantee", ("Loan guarantees", "Garanties de prêt", "Гарантии по кредитам")),
    ("instruments", "securitisation", ("Securitisation", "Titrisation", "Секьюритизация")),
    ("instruments", "ip_fund", ("IP funds", "Fonds de PI", "Фонды ИС")),
]

FEEDBACK_SURVEY: list[dict[str, Any]] = [
    {"type": "select_one rating", "name": "overall", "required": "yes",
     "label": ("How useful was the event?", "Quelle a été l'utilité de l'événement ?",
               "Насколько полезным было мероприятие?")},
    {"type": "text", "name": "improve", "relevant": "${overall} = '1' or ${overall} = '2'",
     "label": ("What should we improve?", "Que devrions-nous améliorer ?", "Что нам следует улучшить?")},
    {"type": "select_one yes_no", "name": "will_apply",
     "label": ("Will you apply what you learnt in the next six months?",
               "Appliquerez-vous ce que vous avez appris dans les six prochains mois ?",
               "Примените ли вы полученные знания в ближайшие шесть месяцев?")},
    {"type": "text", "name": "email", "constraint": "regex(., '^[^@ ]+@[^@ ]+$')",
     "constraint_message": ("Enter an e-mail address.", "Entrez une adresse électronique.",
                            "Введите адрес электронной почты."),
     "label": ("Your e-mail, if you want news of the project (optional)",
               "Votre adresse électronique, si vous voulez des nouvelles du projet (facultatif)",
               "Ваш адрес электронной почты, если хотите получать новости проекта (необязательно)")},
]  # fmt: skip

FEEDBACK_CHOICES: list[tuple[str, str, tuple[str, str, str]]] = [
    ("rating", "1", ("Not useful", "Pas utile", "Бесполезно")),
    ("rating", "2", ("Somewhat useful", "Assez utile", "Отчасти полезно")),
    ("rating", "3", ("Useful", "Utile", "Полезно")),
    ("rating", "4", ("Very useful", "Très utile", "Очень полезно")),
    ("yes_no", "yes", ("Yes", "Oui", "Да")),
    ("yes_no", "no", ("No", "Non", "Нет")),
]


def workbook(
    title: str,
    survey: list[dict[str, Any]],
    choices: list[tuple[str, str, tuple[str, str, str]]],
    *,
    form_id: str,
    languages: tuple[str, ...] = LANGS,
) -> bytes:
    """An XLSForm workbook (``survey``, ``choices``, ``settings`` sheets) with a label column per language."""
    book = Workbook()
    sheet = book.active or book.create_sheet()
    sheet.title = "survey"
    translated = ("label", "hint", "constraint_message")
    plain = ("required", "relevant", "constraint", "calculation", "choice_filter", "appearance")
    header = ["type", "name"] + [f"{column}::{lang}" for column in translated for lang in languages] + list(plain)
    sheet.append(header)
    for row in survey:
        cells: list[Any] = [row["type"], row.get("name", "")]
        for column in translated:
            texts = row.get(column) or ("",) * len(languages)
            cells += list(texts[: len(languages)])
        cells += [row.get(column, "") for column in plain]
        sheet.append(cells)
    choice_sheet = book.create_sheet("choices")
    choice_sheet.append(["list_name", "name"] + [f"label::{lang}" for lang in languages])
    for list_name, name, labels in choices:
        choice_sheet.append([list_name, name, *labels[: len(languages)]])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append([title, form_id, languages[0]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def case_study_form() -> bytes:
    return workbook(
        "IP-backed finance: practices and case studies", CASE_STUDY_SURVEY, CASE_STUDY_CHOICES, form_id="case_studies"
    )


def feedback_form() -> bytes:
    return workbook("Event feedback", FEEDBACK_SURVEY, FEEDBACK_CHOICES, form_id="event_feedback")


def load_demo_surveys() -> list[tuple[Any, str | None]]:
    """Create and publish the demo questionnaires once (skipped when one of that title exists).

    Returns each questionnaire created with the path a visitor opens: a demo personal link in Russian for the
    closed one, the public link for the open one.
    """
    from django.urls import reverse
    from django.utils import translation

    from ipvalue.countries.models import Country
    from ipvalue.surveys import services
    from ipvalue.surveys.models import Invitation, Survey, SurveyAccess
    from ipvalue.surveys.xlsform import import_xlsform

    created: list[tuple[Any, str | None]] = []
    for content, name, access in (
        (case_study_form(), "case_studies.xlsx", SurveyAccess.CLOSED),
        (feedback_form(), "event_feedback.xlsx", SurveyAccess.OPEN),
    ):
        title = import_xlsform(content, name).title
        if Survey.objects.filter(title=title).exists():
            continue
        survey = services.survey_import(actor=None, content=content, filename=name, access=access)
        services.publish_unattended(survey=survey)
        if access == SurveyAccess.CLOSED:
            invitation = Invitation.objects.create(
                survey=survey,
                name="Demo respondent",
                language="ru",
                country=Country.objects.filter(iso2="KZ").first(),
                uses_left=1000,
            )
            with translation.override("ru"):
                link = reverse("surveys:respond", kwargs={"token": invitation.token})
        else:
            with translation.override("en"):
                link = reverse("surveys:open", kwargs={"public_token": survey.public_token})
        created.append((survey, link))
    return created


def invite_demo_people(actor: Any) -> int:
    """Publish the project's questionnaire (if still a draft) and invite the demo stakeholders to it, without e-mails,
    so that the progress page has something to show. Returns the invitations created."""
    from ipvalue.stakeholders.models import Person
    from ipvalue.surveys import services
    from ipvalue.surveys.models import Invitation, Survey
    from ipvalue.surveys.project import PROJECT_QUESTIONNAIRE
    from ipvalue.surveys.xlsform import import_xlsform

    title = import_xlsform(PROJECT_QUESTIONNAIRE.read_bytes(), PROJECT_QUESTIONNAIRE.name).title
    survey = Survey.objects.filter(title=title).first()
    if survey is None or survey.invitations.exists():
        return 0
    services.publish_unattended(survey=survey)
    created = 0
    for person in Person.objects.current().exclude(email="").select_related("country")[:20]:
        Invitation.objects.create(
            survey=survey,
            person=person,
            email=person.email,
            name=person.full_name,
            language=(person.languages or ["ru"])[0],
            country=person.country,
            group=person.group,
            created_by=actor,
        )
        created += 1
    return created
