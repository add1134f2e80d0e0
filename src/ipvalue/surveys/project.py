"""The project's own questionnaire to member states (good practices, case studies, obstacles), shipped as an XLSForm
in ``surveys/data/project_questionnaire.xlsx`` (built by ``tools/build_project_questionnaire.py``)."""

from __future__ import annotations

from pathlib import Path

from ipvalue.surveys import services
from ipvalue.surveys.models import Survey
from ipvalue.surveys.xlsform import import_xlsform

PROJECT_QUESTIONNAIRE = Path(__file__).resolve().parent / "data" / "project_questionnaire.xlsx"


def load_project_questionnaire(path: Path = PROJECT_QUESTIONNAIRE) -> Survey | None:
    """Import the project's questionnaire as a draft, once (None when a questionnaire with its title exists)."""
    content = path.read_bytes()
    title = import_xlsform(content, path.name).title
    if Survey.objects.filter(title=title).exists():
        return None
    return services.survey_import(actor=None, content=content, filename=path.name)
