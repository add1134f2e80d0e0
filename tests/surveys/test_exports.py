"""Exports of answers (``ipvalue.surveys.exports``): tables, CSV, ZIP, XLSX, JSON, labels, versions, nested repeats."""

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

import pytest
from openpyxl import load_workbook

from ipvalue.countries.models import Country
from ipvalue.surveys import demo, exports, services
from ipvalue.surveys.models import Invitation, Response, Survey

pytestmark = pytest.mark.django_db

EN = "English (en)"
RU = "Русский (ru)"
META = list(exports.RESPONSE_COLUMNS)
MAIN_V2 = ["organisation", "website", "ip_loans", "loans_count", "instruments", "case_count", "answered_on"]
REPEAT_V2 = ["case_title", "case_amount", "case_year"]

# Version 2 of the demo form: "staff" removed, "website" added after "organisation", a year in each case study.
V2_SURVEY = []
for row in demo.CASE_STUDY_SURVEY:
    if row.get("name") == "staff":
        continue
    V2_SURVEY.append(row)
    if row.get("name") == "organisation":
        V2_SURVEY.append({"type": "text", "name": "website", "label": ("Website", "Site web", "Веб-сайт")})
    if row.get("name") == "case_amount":
        V2_SURVEY.append({"type": "integer", "name": "case_year", "label": ("Year", "Année", "Год")})

NESTED_FORM = [
    {"type": "text", "name": "organisation", "label": ("Organisation",)},
    {"type": "begin_repeat", "name": "projects", "label": ("Project",)},
    {"type": "text", "name": "project_name", "label": ("Project name",)},
    {"type": "begin_repeat", "name": "partners", "label": ("Partner",)},
    {"type": "text", "name": "partner_name", "label": ("Partner's name",)},
    {"type": "decimal", "name": "share", "label": ("Share",)},
    {"type": "end_repeat"},
    {"type": "end_repeat"},
]


def invite(secretariat: Any, survey: Survey, language: str, country: str | None = None, group: str = "") -> Invitation:
    return services.invitation_create(
        actor=secretariat,
        survey=survey,
        email=f"{language}@example.org",
        language=language,
        country=Country.objects.get(iso2=country) if country else None,
        group=group,
    )


def respond(invitation: Invitation, answers: dict[str, Any], *, submit: bool = True) -> Response:
    response = services.access_by_token(invitation.token).response
    assert response is not None
    result = services.answers_save(response=response, incoming=answers)
    assert result.errors == {}
    if submit:
        assert services.response_submit(response=response) == {}
    response.refresh_from_db()
    return response


@pytest.fixture
def responses(secretariat, survey, invitation) -> dict[str, Response]:
    """Three submitted responses on version 1 (3, 1 and 0 case studies), a draft, a preview, then version 2 (a
    question removed, two added, a Russian label changed) with one submitted response on it."""
    made = {
        "kz": respond(
            invitation,
            {
                "organisation": "Казпатент",
                "staff": 12,
                "ip_loans": "yes",
                "loans_count": 3,
                "instruments": ["ip_loan", "guarantee"],
                "case_studies": [
                    {"case_title": "Кредит под залог патента", "case_amount": 250000},
                    {"case_title": "Гарантия", "case_amount": 1000.5},
                    {"case_title": "Фонд"},
                ],
                "answered_on": "2025-06-15",
            },
        ),
        "bank": respond(
            invite(secretariat, survey, "en", group="finance"),
            {
                "organisation": "Acme Bank",
                "ip_loans": "no",
                "instruments": ["securitisation"],
                "case_studies": [{"case_title": '=HYPERLINK("http://example.org")', "case_amount": 5}],
            },
        ),
        "office": respond(
            invite(secretariat, survey, "fr", country="AM", group="public_authorities"),
            {"organisation": 'Office "national", de la\nPI\x07', "ip_loans": "no"},
        ),
        "draft": respond(invite(secretariat, survey, "en"), {"organisation": "Brouillon"}, submit=False),
    }
    preview = services.preview_response(actor=secretariat, survey=survey, language="en")
    services.answers_save(response=preview, incoming={"organisation": "Preview", "ip_loans": "no"})
    assert services.response_submit(response=preview) == {}
    made["preview"] = preview

    content = demo.workbook("IP-backed finance v2", V2_SURVEY, demo.CASE_STUDY_CHOICES, form_id="case_studies")
    services.survey_replace_form(actor=secretariat, survey=survey, content=content, filename="v2.xlsx")
    services.question_update(
        actor=secretariat,
        survey=survey,
        name="organisation",
        texts={"label": {RU: "Полное название организации"}},
        properties={},
    )
    services.survey_publish(actor=secretariat, survey=survey)
    assert survey.current_version.number == 2
    made["uz"] = respond(
        invite(secretariat, survey, "ru", country="UZ"),
        {
            "organisation": "Узпатент",
            "website": "https://ima.uz",
            "ip_loans": "yes",
            "loans_count": 7,
            "case_studies": [{"case_title": "Лицензия", "case_amount": 10, "case_year": 2024}],
        },
    )
    assert made["uz"].version.number == 2 and made["kz"].version.number == 1
    return made


def read_csv(chunks: Iterable[bytes]) -> list[dict[str, str]]:
    data = b"".join(chunks)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def header_of(chunks: Iterable[bytes]) -> list[str]:
    return next(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"), newline="")))


def as_csv_text(value: Any) -> str:
    """A stored answer as the CSV writes it (codes)."""
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def flat(answers: dict[str, Any], repeats: set[str]) -> dict[str, Any]:
    """Stored answers as the CSV tables hold them: text everywhere, repeats as lists of instances."""
    return {
        name: [flat(instance, repeats) for instance in value] if name in repeats else as_csv_text(value)
        for name, value in answers.items()
    }


def rebuild(tables: dict[str, list[dict[str, str]]], repeat_of: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Put the answers of the long tables back together, by ``_key`` and ``_parent_key`` (response id -> answers)."""
    scopes: dict[str, dict[str, Any]] = {}
    for row in tables["responses"]:
        scopes[row["_id"]] = {key: value for key, value in row.items() if not key.startswith("_") and value != ""}
    for table, repeat in repeat_of.items():
        for row in sorted(tables[table], key=lambda item: (item["_parent_key"], int(item["_index"]))):
            instance = {key: value for key, value in row.items() if not key.startswith("_") and value != ""}
            scopes[row["_key"]] = instance
            parent = scopes[row["_parent_key"]]
            parent.setdefault(repeat, []).append(instance)
            assert len(parent[repeat]) == int(row["_index"])
    return {key: value for key, value in scopes.items() if "/" not in key}


# --------------------------------------------------------------------------------------------------------- tables


def test_tables_have_the_metadata_then_the_questions_of_every_version(responses, survey):
    tables = exports.export_tables(survey)
    assert [table.name for table in tables] == ["responses", "case_studies"]
    main, cases = tables
    # Version 2's questions in its order, then "staff", which only version 1 has; no note, group or repeat column.
    assert [column.key for column in main.columns] == [*META, *MAIN_V2, "staff"]
    assert main.headers == main_keys() and main.parent is None
    assert [column.key for column in cases.columns] == ["_key", "_parent_key", "_index", *REPEAT_V2]
    assert cases.parent == "responses"


def main_keys() -> list[str]:
    return [*META, *MAIN_V2, "staff"]


def test_csv_of_the_main_table_has_every_submitted_response_and_every_answer(responses, survey):
    rows = read_csv(exports.stream_csv(survey))
    kz, bank, office, uz = (responses[name] for name in ("kz", "bank", "office", "uz"))
    assert [int(row["_id"]) for row in rows] == [kz.pk, bank.pk, office.pk, uz.pk]  # no draft, no preview
    assert list(rows[0]) == main_keys()
    first = rows[0]
    assert first["_status"] == "submitted" and first["_version"] == "1" and first["_language"] == "ru"
    assert first["_country"] == "KZ" and first["_group"] == ""
    assert first["_submitted_at"] == kz.submitted_at.isoformat(timespec="seconds")
    assert first["organisation"] == "Казпатент" and first["staff"] == "12" and first["website"] == ""
    assert first["instruments"] == "ip_loan guarantee"  # as ODK and KoboToolbox write a select_multiple
    assert first["case_count"] == "3" and first["answered_on"] == "2025-06-15" and first["loans_count"] == "3"
    assert rows[1]["_group"] == "finance" and rows[1]["_country"] == ""
    assert rows[2]["organisation"] == 'Office "national", de la\nPI\x07'  # quoted, kept as given
    assert rows[2]["_country"] == "AM" and rows[2]["_language"] == "fr"
    assert rows[3]["_version"] == "2" and rows[3]["website"] == "https://ima.uz" and rows[3]["staff"] == ""


def test_repeat_table_is_long_with_keys_to_the_response(responses, survey):
    rows = read_csv(exports.stream_csv(survey, table="case_studies"))
    kz, bank, uz = responses["kz"], responses["bank"], responses["uz"]
    assert [(row["_key"], row["_parent_key"], row["_index"]) for row in rows] == [
        (f"{kz.pk}/case_studies/1", str(kz.pk), "1"),
        (f"{kz.pk}/case_studies/2", str(kz.pk), "2"),
        (f"{kz.pk}/case_studies/3", str(kz.pk), "3"),
        (f"{bank.pk}/case_studies/1", str(bank.pk), "1"),
        (f"{uz.pk}/case_studies/1", str(uz.pk), "1"),
    ]
    assert [row["case_amount"] for row in rows] == ["250000", "1000.5", "", "5", "10"]
    assert rows[0]["case_title"] == "Кредит под залог патента" and rows[4]["case_year"] == "2024"


def test_every_answer_is_in_exactly_one_table(responses, survey):
    tables = {
        table.name: read_csv(exports.stream_csv(survey, table=table.name)) for table in exports.export_tables(survey)
    }
    rebuilt = rebuild(tables, {"case_studies": "case_studies"})
    # CSV cells that a spreadsheet would run as a formula carry a leading apostrophe (OWASP's CSV-injection advice)
    neutralised = rebuilt[str(responses["bank"].pk)]["case_studies"][0]
    assert neutralised["case_title"] == '\'=HYPERLINK("http://example.org")'
    neutralised["case_title"] = neutralised["case_title"][1:]
    for name in ("kz", "bank", "office", "uz"):
        response = responses[name]
        assert rebuilt[str(response.pk)] == flat(response.answers, {"case_studies"}), name
    assert set(rebuilt) == {str(responses[name].pk) for name in ("kz", "bank", "office", "uz")}


def test_status_all_adds_the_drafts_but_never_the_previews(responses, survey):
    ids = [int(row["_id"]) for row in read_csv(exports.stream_csv(survey, status="all"))]
    assert responses["draft"].pk in ids and responses["preview"].pk not in ids
    assert exports.export_row_count(survey) == 4 and exports.export_row_count(survey, status="all") == 5
    draft = next(row for row in read_csv(exports.stream_csv(survey, status="all")) if row["_status"] == "draft")
    assert draft["_submitted_at"] == "" and draft["organisation"] == "Brouillon"
    assert list(exports.responses_for_export(survey, status="all").filter(is_preview=True)) == []


def test_iter_table_rows_gives_python_values(responses, survey):
    main = exports.export_tables(survey)[0]
    rows = list(exports.iter_table_rows(survey, main, chunk_size=1))
    assert rows[0][: len(META)] == [
        responses["kz"].pk,
        "submitted",
        responses["kz"].submitted_at.isoformat(timespec="seconds"),
        1,
        "ru",
        "KZ",
        "",
    ]
    staff = [column.key for column in main.columns].index("staff")
    assert rows[0][staff] == 12 and rows[3][staff] is None
    amounts = [row[4] for row in exports.iter_table_rows(survey, "case_studies")]
    assert amounts == [250000.0, 1000.5, None, 5.0, 10.0]


# --------------------------------------------------------------------------------------------------------- labels


def test_labels_in_russian(responses, survey):
    data = list(exports.stream_csv(survey, labels="ru"))
    header = header_of(data)
    assert header[: len(META)] == META  # metadata headers stay codes
    assert header[len(META) :] == [
        "Полное название организации",  # version 2's label (changed after version 1)
        "Веб-сайт",
        "Выдают ли банки вашей страны кредиты под залог интеллектуальной собственности?",
        "Сколько кредитов под залог ИС было выдано в прошлом году?",
        "Какие инструменты существуют в вашей стране?",
        "case_count",  # no label: its name
        "Дата вашего ответа",
        "Сколько сотрудников вашей организации занимаются ИС?",  # only version 1 has it
    ]
    rows = list(csv.reader(io.StringIO(b"".join(data).decode("utf-8-sig"), newline="")))[1:]
    loans, instruments = header.index(header[len(META) + 2]), header.index(header[len(META) + 4])
    assert rows[0][loans] == "Да" and rows[1][loans] == "Нет"
    assert rows[0][instruments] == "Кредиты под залог ИС; Гарантии по кредитам"
    cases = read_csv(exports.stream_csv(survey, table="case_studies", labels="RU"))
    assert list(cases[0]) == [
        "_key",
        "_parent_key",
        "_index",
        "Название примера",
        "Сумма финансирования (долл. США)",
        "Год",
    ]


def test_labels_in_french_and_english(responses, survey):
    french = read_csv(exports.stream_csv(survey, labels="fr"))
    assert french[0]["Quels instruments existent dans votre pays ?"] == "Prêts garantis par la PI; Garanties de prêt"
    english = read_csv(exports.stream_csv(survey, labels="en"))
    assert english[1]["Which instruments exist in your country?"] == "Securitisation"


def test_unknown_labels_table_or_status_name_the_parameter_and_the_allowed_values(responses, survey):
    with pytest.raises(exports.ExportError) as error:
        exports.stream_csv(survey, labels="de")  # refused at once, before any chunk is asked for
    assert str(error.value).startswith("labels:") and "en, fr, ru" in str(error.value)
    assert error.value.parameter == "labels" and error.value.allowed == ["code", "en", "fr", "ru"]
    with pytest.raises(exports.ExportError) as error:
        exports.stream_csv(survey, table="partners")
    assert str(error.value).startswith("table:") and "responses, case_studies" in str(error.value)
    with pytest.raises(exports.ExportError) as error:
        exports.stream_json(survey, status="everything")
    assert str(error.value).startswith("status:") and "submitted, all" in str(error.value)
    with pytest.raises(exports.ExportError, match=r"^labels:"):
        exports.write_xlsx(survey, io.BytesIO(), labels="xx")
    with pytest.raises(exports.ExportError, match=r"^table:"):
        list(exports.iter_table_rows(survey, "nope"))
    with pytest.raises(exports.ExportError, match=r"^labels:"):
        exports.export_tables(survey, labels="kk")


# --------------------------------------------------------------------------------------------------------- formats


def test_xlsx_has_a_sheet_per_table_with_the_csv_content(responses, survey):
    target = io.BytesIO()
    exports.write_xlsx(survey, target)
    book = load_workbook(io.BytesIO(target.getvalue()))
    assert book.sheetnames == ["responses", "case_studies"]
    for table in exports.export_tables(survey):
        sheet = book[table.name]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == table.headers
        expected = [
            [(value.replace("\x07", "") or None) if isinstance(value, str) else value for value in row]
            for row in exports.iter_table_rows(survey, table)
        ]
        assert [list(row) for row in rows[1:]] == expected
    cases = book["case_studies"]
    formula = cases.cell(row=5, column=4)
    assert formula.value == '=HYPERLINK("http://example.org")' and formula.data_type == "s"  # text, not a formula
    assert cases.cell(row=2, column=5).value == 250000 and cases.cell(row=2, column=5).data_type == "n"
    assert book["responses"].cell(row=2, column=1).data_type == "n"


def test_xlsx_with_labels(responses, survey):
    target = io.BytesIO()
    exports.write_xlsx(survey, target, labels="ru")
    sheet = load_workbook(io.BytesIO(target.getvalue()), read_only=True)["responses"]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert header[len(META) + 4] == "Какие инструменты существуют в вашей стране?"
    assert first[len(META) + 4] == "Кредиты под залог ИС; Гарантии по кредитам"


def test_zip_has_one_csv_per_table(responses, survey, tmp_path):
    path = tmp_path / "export.zip"
    exports.write_zip(survey, path, labels="ru")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["responses.csv", "case_studies.csv"]
        for table in ("responses", "case_studies"):
            assert archive.read(f"{table}.csv") == b"".join(exports.stream_csv(survey, table=table, labels="ru"))


def test_json_nests_the_answers(responses, survey):
    records = json.loads(b"".join(exports.stream_json(survey)))
    assert [record["_id"] for record in records] == [responses[name].pk for name in ("kz", "bank", "office", "uz")]
    first = records[0]
    assert set(first) == {*META, "answers"}
    assert first["_country"] == "KZ" and first["_version"] == 1
    assert first["answers"] == responses["kz"].answers
    assert first["answers"]["case_studies"][0] == {"case_title": "Кредит под залог патента", "case_amount": 250000.0}
    russian = json.loads(b"".join(exports.stream_json(survey, labels="ru")))
    assert russian[0]["answers"]["instruments"] == ["Кредиты под залог ИС", "Гарантии по кредитам"]
    assert russian[0]["answers"]["ip_loans"] == "Да"
    assert russian[0]["answers"]["case_studies"][1] == {"case_title": "Гарантия", "case_amount": 1000.5}


def test_an_export_without_responses_has_the_headers_only(survey):
    data = b"".join(exports.stream_csv(survey))
    assert data.decode("utf-8-sig").splitlines() == [
        ",".join(
            [*META, "organisation", "staff", "ip_loans", "loans_count", "instruments", "case_count", "answered_on"]
        )
    ]
    assert json.loads(b"".join(exports.stream_json(survey))) == []
    target = io.BytesIO()
    exports.write_xlsx(survey, target)
    assert load_workbook(io.BytesIO(target.getvalue())).sheetnames == ["responses", "case_studies"]


def test_chunks_and_queries_do_not_depend_on_the_number_of_responses(
    responses, survey, monkeypatch, django_assert_max_num_queries
):
    whole = b"".join(exports.stream_csv(survey))
    monkeypatch.setattr(exports, "CSV_ROWS_PER_CHUNK", 1)
    monkeypatch.setattr(exports, "JSON_RESPONSES_PER_CHUNK", 1)
    # The versions, then the responses in one query (on PostgreSQL inside a savepoint here: two more statements).
    with django_assert_max_num_queries(4):
        chunks = list(exports.stream_csv(survey))
    assert len(chunks) == 1 + 4 and b"".join(chunks) == whole
    with django_assert_max_num_queries(4):
        assert len(list(exports.stream_json(survey))) >= 4


# --------------------------------------------------------------------------------------------------------- nested


def test_a_nested_repeat_is_a_table_linked_to_the_outer_instance(secretariat):
    content = demo.workbook("Projects", NESTED_FORM, [], form_id="projects", languages=(EN,))
    survey = services.survey_import(actor=secretariat, content=content, filename="projects.xlsx")
    services.survey_publish(actor=secretariat, survey=survey)
    answers = {
        "organisation": "Kazpatent",
        "projects": [
            {"project_name": "A", "partners": [{"partner_name": "P1", "share": 0.25}, {"partner_name": "P2"}]},
            {"project_name": "B"},
            {"project_name": "C", "partners": [{"partner_name": "P3", "share": 1}]},
        ],
    }
    response = respond(services.invitation_create(actor=secretariat, survey=survey), answers)
    key = str(response.pk)
    tables = exports.export_tables(survey)
    assert [(table.name, table.parent) for table in tables] == [
        ("responses", None),
        ("projects", "responses"),
        ("partners", "projects"),
    ]
    projects = read_csv(exports.stream_csv(survey, table="projects"))
    assert [(row["_key"], row["_parent_key"], row["_index"], row["project_name"]) for row in projects] == [
        (f"{key}/projects/1", key, "1", "A"),
        (f"{key}/projects/2", key, "2", "B"),
        (f"{key}/projects/3", key, "3", "C"),
    ]
    assert list(projects[0]) == ["_key", "_parent_key", "_index", "project_name"]  # not the inner repeat's questions
    partners = read_csv(exports.stream_csv(survey, table="partners"))
    assert [
        (row["_key"], row["_parent_key"], row["_index"], row["partner_name"], row["share"]) for row in partners
    ] == [
        (f"{key}/projects/1/partners/1", f"{key}/projects/1", "1", "P1", "0.25"),
        (f"{key}/projects/1/partners/2", f"{key}/projects/1", "2", "P2", ""),
        (f"{key}/projects/3/partners/1", f"{key}/projects/3", "1", "P3", "1"),
    ]
    all_tables = {table.name: read_csv(exports.stream_csv(survey, table=table.name)) for table in tables}
    assert rebuild(all_tables, {"projects": "projects", "partners": "partners"}) == {
        key: flat(response.answers, {"projects", "partners"})
    }
    target = io.BytesIO()
    exports.write_xlsx(survey, target, labels="en")
    book = load_workbook(io.BytesIO(target.getvalue()))
    assert book.sheetnames == ["responses", "projects", "partners"]
    assert next(book["partners"].iter_rows(values_only=True)) == (
        "_key",
        "_parent_key",
        "_index",
        "Partner's name",
        "Share",
    )
    assert [row[1] for row in book["partners"].iter_rows(min_row=2, values_only=True)] == [
        f"{key}/projects/1",
        f"{key}/projects/1",
        f"{key}/projects/3",
    ]
    records = json.loads(b"".join(exports.stream_json(survey)))
    assert records[0]["answers"]["projects"][0]["partners"][0] == {"partner_name": "P1", "share": 0.25}
    with zipfile.ZipFile(_zip(survey)) as archive:
        assert archive.namelist() == ["responses.csv", "projects.csv", "partners.csv"]


def _zip(survey: Survey) -> io.BytesIO:
    target = io.BytesIO()
    exports.write_zip(survey, target)
    target.seek(0)
    return target


def test_an_abandoned_stream_leaves_the_connection_usable(responses, survey):
    chunks = exports.stream_csv(survey)
    next(chunks)
    chunks.close()  # the client went away
    assert Survey.objects.filter(pk=survey.pk).exists()
    assert len(read_csv(exports.stream_csv(survey))) == 4


def test_a_repeat_moved_by_a_new_version_gets_its_path_as_table_name(secretariat):
    def form(rows: list[dict[str, Any]]) -> bytes:
        return demo.workbook("Parties", rows, [], form_id="parties", languages=(EN,))

    party = [
        {"type": "begin_repeat", "name": "parties", "label": ("Party",)},
        {"type": "text", "name": "party", "label": ("Party",)},
        {"type": "end_repeat"},
    ]
    loans = [{"type": "begin_repeat", "name": "loans", "label": ("Loan",)}, *party, {"type": "end_repeat"}]
    survey = services.survey_import(actor=secretariat, content=form(loans), filename="v1.xlsx")
    services.survey_publish(actor=secretariat, survey=survey)
    first = respond(
        services.invitation_create(actor=secretariat, survey=survey), {"loans": [{"parties": [{"party": "Bank"}]}]}
    )
    services.survey_replace_form(actor=secretariat, survey=survey, content=form(party), filename="v2.xlsx")
    services.survey_publish(actor=secretariat, survey=survey)
    second = respond(services.invitation_create(actor=secretariat, survey=survey), {"parties": [{"party": "SME"}]})
    tables = exports.export_tables(survey)
    assert [(table.name, table.parent) for table in tables] == [
        ("responses", None),
        ("parties", "responses"),  # version 2's, at the top level
        ("loans", "responses"),
        ("loans.parties", "loans"),
    ]
    assert read_csv(exports.stream_csv(survey, table="loans.parties")) == [
        {"_key": f"{first.pk}/loans/1/parties/1", "_parent_key": f"{first.pk}/loans/1", "_index": "1", "party": "Bank"}
    ]
    assert read_csv(exports.stream_csv(survey, table="parties")) == [
        {"_key": f"{second.pk}/parties/1", "_parent_key": str(second.pk), "_index": "1", "party": "SME"}
    ]
    with zipfile.ZipFile(_zip(survey)) as archive:
        assert archive.namelist() == [f"{table.name}.csv" for table in tables]


def test_a_repeat_called_responses_does_not_take_the_main_table_name(secretariat):
    rows = [
        {"type": "begin_repeat", "name": "responses", "label": ("Answer",)},
        {"type": "text", "name": "text", "label": ("Text",)},
        {"type": "end_repeat"},
    ]
    content = demo.workbook("Responses", rows, [], form_id="responses", languages=(EN,))
    survey = services.survey_import(actor=secretariat, content=content, filename="responses.xlsx")
    assert [table.name for table in exports.export_tables(survey)] == ["responses", "responses~2"]


def test_a_table_longer_than_a_worksheet_goes_on_into_another_sheet(responses, survey, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)  # a header and two rows a sheet
    target = io.BytesIO()
    exports.write_xlsx(survey, target)
    book = load_workbook(io.BytesIO(target.getvalue()))
    assert book.sheetnames == ["responses", "responses (2)", "case_studies", "case_studies (2)", "case_studies (3)"]
    main = exports.export_tables(survey)[0]
    ids = []
    for name in book.sheetnames[:2]:
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == main.headers and len(rows) == 3
        ids += [row[0] for row in rows[1:]]
    assert ids == [responses[name].pk for name in ("kz", "bank", "office", "uz")]
    assert [book[name].max_row for name in book.sheetnames[2:]] == [3, 3, 2]
