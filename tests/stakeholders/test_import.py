import io

import pytest
from openpyxl import Workbook

from ipvalue.core.tabular import TableError
from ipvalue.stakeholders.importing import people_import
from ipvalue.stakeholders.models import Organisation, Person

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "full_name,email,country,organisation,organisation_type,group,languages,status\n"
    "Dana Sultanova,dana@example.kz,KZ,Kazpatent,ip_office,,ru kk,contacted\n"  # row 2: good, new organisation
    "No Country,nc@example.kz,,,,business,,\n"  # row 3: country missing
    "Bad Mail,not-an-email,KZ,,,business,,\n"  # row 4: e-mail invalid
    "Twice,dana@example.kz,KZ,,,business,,\n"  # row 5: same e-mail as row 2
    "Outside,out@example.uz,UZ,,,business,,\n"  # row 6: not the coordinator's country
    "Mystery Org,m@example.kz,KZ,Unknown LLP,,,,\n"  # row 7: new organisation without a type
    "Lang,l@example.kz,KZ,,,business,xx,\n"  # row 8: unknown language
    "Ok Two,ok2@example.kz,KZ,kazpatent,,,,\n"  # row 9: good, same organisation (case-insensitive)
)


def errors_by_row(report):
    return {(error.row, error.column) for error in report.errors}


def test_all_or_nothing_reports_each_row_and_column_and_imports_nothing(coordinator_kz):
    report = people_import(
        actor=coordinator_kz, content=GOOD_AND_BAD.encode(), filename="people.csv", mode="all-or-nothing"
    )
    assert errors_by_row(report) == {
        (3, "country"),
        (4, "email"),
        (5, "email"),
        (6, "country"),
        (7, "organisation_type"),
        (8, "languages"),
    }
    assert report.rows == 8 and report.imported == 0
    assert Person.objects.count() == 0 and Organisation.objects.count() == 0
    duplicate = next(error for error in report.errors if error.row == 5)
    assert "2" in duplicate.message  # points at the first occurrence


def test_good_rows_mode_imports_only_the_good_rows(coordinator_kz):
    report = people_import(actor=coordinator_kz, content=GOOD_AND_BAD.encode(), filename="people.csv", mode="good-rows")
    assert report.imported == 2 and report.organisations_created == 1
    dana = Person.objects.get(email="dana@example.kz")
    assert (dana.group, dana.status, dana.languages) == ("public_authorities", "contacted", ["ru", "kk"])
    assert dana.status_changes.get().status == "contacted"
    assert Person.objects.get(email="ok2@example.kz").organisation == dana.organisation
    # A second import of the same file finds the e-mails already registered.
    again = people_import(actor=coordinator_kz, content=GOOD_AND_BAD.encode(), filename="people.csv", mode="good-rows")
    assert again.imported == 0 and {(2, "email"), (9, "email")} <= errors_by_row(again)


def test_xlsx_with_semicolon_free_headers_and_aliases(secretariat):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "E-mail", "Country", "Organization", "Type", "Group"])
    sheet.append(["Gulnara Abenova", "g@example.kz", "kz", "Astana Hub", "incubator", None])
    sheet.append([None, None, None, None, None, None])  # blank rows are ignored
    sheet.append(["Farrukh Karimov", "f@example.uz", "UZ", None, None, "finance"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = people_import(actor=secretariat, content=buffer.getvalue(), filename="people.xlsx", mode="all-or-nothing")
    assert report.errors == [] and report.imported == 2
    assert Person.objects.get(full_name="Gulnara Abenova").group == "intermediaries"


def test_semicolon_csv_and_missing_required_column(secretariat):
    content = b"full_name;country;group\nA;KZ;business\n"
    assert people_import(actor=secretariat, content=content, filename="p.csv", mode="all-or-nothing").imported == 1
    report = people_import(actor=secretariat, content=b"email\nx@example.org\n", filename="p.csv", mode="good-rows")
    assert {(error.row, error.column) for error in report.errors} == {(1, "full_name"), (1, "country")}


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "p.csv", "empty"),
        ("full_name\n".encode("utf-16"), "p.csv", "UTF-8"),
        (b"not a zip", "p.xlsx", "XLSX"),
        (b"a,b", "p.pdf", ".csv"),
    ],
)
def test_unreadable_files_get_a_clear_error(secretariat, content, filename, message):
    with pytest.raises(TableError, match=message):
        people_import(actor=secretariat, content=content, filename=filename, mode="good-rows")
