"""Sample files in the publishers' layouts (``data/``) and helpers to import them."""

from pathlib import Path

import pytest
from django.utils import translation

from ipvalue.indicators import services

DATA = Path(__file__).resolve().parent / "data"
WB_API = DATA / "API_BX.GSR.ROYL.CD_DS2_en_csv_v2_small.csv"
WB_BULK = DATA / "WDICSV_small.csv"
WIPO_OFFICE = DATA / "wipo_patent_office.csv"
WIPO_ORIGIN = DATA / "wipo_patent_origin.csv"


def load(path: Path, source: str, content: bytes | None = None, actor=None):
    return services.indicators_import(
        actor=actor, content=path.read_bytes() if content is None else content, filename=path.name, source=source
    )


@pytest.fixture
def wb_text() -> str:
    return WB_API.read_bytes().decode("utf-8-sig")


@pytest.fixture
def wipo_text() -> str:
    return WIPO_OFFICE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
