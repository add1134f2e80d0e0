"""Reading and writing tables as CSV and XLSX, for imports and exports."""

import contextlib
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(ValueError):
    """The uploaded file is not a table we can read; the message says why, in the user's language."""


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows of a CSV (UTF-8, comma or semicolon) or XLSX file (first sheet), as text.

    Each data row comes with its number as a spreadsheet shows it (the header is row 1); blank rows are skipped but
    still counted, so that an error can point at the right row.
    """
    if filename.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise TableError(_("The file is not a readable XLSX workbook.")) from error
        rows = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in workbook.active.iter_rows(values_only=True)
        ]
        workbook.close()
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableError(_("The CSV file is not in UTF-8; save it again as “CSV UTF-8”.")) from error
        dialect = csv.excel
        with contextlib.suppress(csv.Error):  # one column, or too few rows to tell: keep commas
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise TableError(_("The file is empty."))
    _header_number, header_row = numbered[0]
    header = [cell.strip().lower() for cell in header_row]
    width = len(header)
    return header, [(number, (row + [""] * width)[:width]) for number, row in numbered[1:]]


class _Echo:
    def write(self, value: str) -> str:
        return value


def table_response(
    *, headers: Sequence[str], rows: Iterable[Sequence[Any]], file_format: str, filename: str
) -> HttpResponse | StreamingHttpResponse:
    """A download of the table as CSV (streamed, UTF-8 with BOM for spreadsheet programs) or XLSX."""
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(headers)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
