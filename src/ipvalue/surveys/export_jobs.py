"""Serving exports: CSV and JSON are streamed as they are written; XLSX and ZIP are written to a temporary file and
sent, or, above ``SURVEY_EXPORT_SYNC_ROWS`` responses, written by a background task into a file the Secretariat
downloads from a link (``ExportJob``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from ipvalue.surveys import exports
from ipvalue.surveys.models import ExportJob, Survey

FORMATS = ("csv", "xlsx", "zip", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def sync_limit() -> int:
    """Responses up to which an XLSX or ZIP export is made while the user waits: SURVEY_EXPORT_SYNC_ROWS (5,000)."""
    return int(getattr(settings, "SURVEY_EXPORT_SYNC_ROWS", 5000))


def export_check(survey: Survey, *, fmt: str, labels: str, table: str, status: str) -> None:
    """Refuse a bad request before any work: each problem names the parameter and what it may be."""
    if fmt not in FORMATS:
        raise exports.ExportError(f"format: choose one of {', '.join(FORMATS)}")
    if status not in ("submitted", "all"):
        raise exports.ExportError("status: choose submitted or all")
    tables = [item.name for item in exports.export_tables(survey, labels=labels, status=status)]
    if fmt == "csv" and table not in tables:
        raise exports.ExportError(f"table: choose one of {', '.join(tables)}")


def filename(survey: Survey, fmt: str, table: str) -> str:
    suffix = f"-{table}" if fmt == "csv" and table != "responses" else ""
    return f"questionnaire-{survey.pk}{suffix}.{fmt}"


def _write(survey: Survey, target: Any, *, fmt: str, labels: str, status: str) -> None:
    if fmt == "xlsx":
        exports.write_xlsx(survey, target, labels=labels, status=status)
    else:
        exports.write_zip(survey, target, labels=labels, status=status)


def export_response(
    survey: Survey, *, fmt: str, labels: str, table: str, status: str, user: Any
) -> HttpResponse | StreamingHttpResponse | FileResponse | ExportJob:
    """The export as a response to send, or the background job that will make it (large XLSX and ZIP)."""
    export_check(survey, fmt=fmt, labels=labels, table=table, status=status)
    name = filename(survey, fmt, table)
    if fmt in ("csv", "json"):
        if fmt == "csv":
            stream = exports.stream_csv(survey, table=table, labels=labels, status=status)
        else:
            stream = exports.stream_json(survey, labels=labels, status=status)
        response = StreamingHttpResponse(stream, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if exports.export_row_count(survey, status=status) > sync_limit():
        from ipvalue.surveys.tasks import run_export_job

        job = ExportJob.objects.create(
            survey=survey, format=fmt, labels=labels, table=table, response_status=status,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )  # fmt: skip
        run_export_job.enqueue(job.pk)
        job.refresh_from_db()
        return job
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    _write(survey, target, fmt=fmt, labels=labels, status=status)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])


def export_job_run(job_id: int) -> str:
    """Make a job's file (run by the background task)."""
    job = ExportJob.objects.select_related("survey").filter(pk=job_id).first()
    if job is None:
        return "job deleted"
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / filename(job.survey, job.format, job.table or "responses")
            with path.open("w+b") as target:
                _write(job.survey, target, fmt=job.format, labels=job.labels, status=job.response_status)
                target.seek(0)
                job.file.save(path.name, File(target), save=False)
        job.rows = exports.export_row_count(job.survey, status=job.response_status)
        job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
        job.save(update_fields=["file", "rows", "status", "finished_at"])
        return "done"
    except Exception as error:  # recorded for the user; the worker's log has the traceback
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        raise
