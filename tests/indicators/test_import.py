"""Loading files: all or nothing, idempotent, provenance, the command and its exit status."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from ipvalue.indicators.models import ImportRecord, Indicator, Observation
from ipvalue.indicators.parsing import IndicatorFileError

from .conftest import WB_API, WB_BULK, WIPO_OFFICE, WIPO_ORIGIN, load
from .test_parsing import WB_CASES, WIPO_CASES

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def snapshot():
    fields = ("indicator__code", "country__iso2", "source", "year", "value", "import_record_id")
    return sorted(Observation.objects.values_list(*fields)), ImportRecord.objects.count()


def test_a_world_bank_file_loads_with_provenance(reference_data):
    summary = load(WB_API, "worldbank")
    assert (summary.created, summary.updated, summary.unchanged) == (16, 0, 0)
    assert (summary.skipped_aggregates, summary.skipped_non_members) == (2, 1)
    assert summary.aggregate_codes == ["EAS", "WLD"] and summary.non_member_codes == ["ABW"]
    record = summary.record
    assert record.filename == WB_API.name and record.imported_by is None
    assert record.publisher_updated.isoformat() == "2024-06-28"
    assert len(record.sha256) == 64 and record.counts["created"] == 16
    kz = Observation.objects.get(country__iso2="KZ", year=2022)
    assert (kz.indicator.code, kz.value, kz.source, kz.import_record) == (
        "ip_receipts",
        41200000.0,
        "worldbank",
        record,
    )
    assert not Observation.objects.filter(country__iso2__in=["UZ"]).exists()
    # the definitions come from the data file, named in the six languages
    assert Indicator.objects.count() == 9
    assert set(Indicator.objects.get(code="gdp").names) == {"en", "fr", "es", "ru", "zh-hans", "ar"}


def test_reimporting_gives_the_same_rows_and_updates_changed_values(reference_data):
    load(WB_API, "worldbank")
    before = snapshot()[0]
    again = load(WB_API, "worldbank")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 16)
    after = snapshot()[0]
    assert [row[:5] for row in after] == [row[:5] for row in before]
    assert {row[5] for row in after} == {again.record.pk}  # each value points at the file it was last read from
    changed = WB_API.read_bytes().replace(b'"41200000"', b'"41300000"')
    third = load(WB_API, "worldbank", content=changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 15)
    assert Observation.objects.get(country__iso2="KZ", year=2022).value == 41300000.0
    assert third.record.changes == [
        {"indicator": "ip_receipts", "country": "KZ", "year": 2022, "old": 41200000.0, "new": 41300000.0}
    ]
    assert Observation.objects.count() == 16


def test_sources_are_kept_apart(reference_data):
    load(WB_BULK, "worldbank")
    load(WIPO_OFFICE, "wipo")
    load(WIPO_ORIGIN, "wipo")
    kz_2020 = dict(
        Observation.objects.filter(country__iso2="KZ", indicator__code="patents_resident", year=2020).values_list(
            "source", "value"
        )
    )
    assert kz_2020 == {"worldbank": 1034.0, "wipo": 1034.0}
    assert (
        Observation.objects.get(country__iso2="UZ", indicator__code="patents_resident", source="wipo", year=2021).value
        == 297
    )
    assert not Observation.objects.filter(country__iso2="HK").exists()


@pytest.mark.parametrize("case", WB_CASES)
def test_a_malformed_world_bank_file_loads_nothing_even_over_a_prior_import(reference_data, wb_text, case):
    load(WB_API, "worldbank")
    before = snapshot()
    change, line, reason = WB_CASES[case]
    with pytest.raises(IndicatorFileError) as refused:
        load(WB_API, "worldbank", content=change(wb_text).encode("utf-8-sig"))
    assert refused.value.line == line and reason in refused.value.reason
    assert snapshot() == before


@pytest.mark.parametrize("case", WIPO_CASES)
def test_a_malformed_wipo_file_loads_nothing(reference_data, wipo_text, case):
    load(WIPO_OFFICE, "wipo")
    before = snapshot()
    change, line, _reason = WIPO_CASES[case]
    with pytest.raises(IndicatorFileError) as refused:
        load(WIPO_OFFICE, "wipo", content=change(wipo_text).encode())
    assert refused.value.line == line
    assert snapshot() == before


def test_only_the_secretariat_imports_through_the_service(secretariat, coordinator_kz):
    with pytest.raises(PermissionDenied):
        load(WB_API, "worldbank", actor=coordinator_kz)
    assert not Observation.objects.exists()
    summary = load(WB_API, "worldbank", actor=secretariat)
    assert summary.record.imported_by == secretariat


def test_the_command_prints_a_summary(reference_data, capsys):
    call_command("import-indicators", str(WB_API), "--source", "worldbank")
    out = capsys.readouterr().out
    assert "16 values new, 0 updated, 0 unchanged" in out
    assert "last updated 2024-06-28" in out
    assert "aggregates or regional offices 2 (EAS, WLD)" in out
    assert "codes that are not member states 1 (ABW)" in out
    call_command("import-indicators", str(WB_BULK), source="worldbank")
    assert "other indicators 6." in capsys.readouterr().out


def test_the_command_refuses_a_malformed_file_with_status_2(reference_data, tmp_path, wb_text):
    bad = tmp_path / "API_bad.csv"
    bad.write_text(wb_text.replace('"20500000"', '"n/a"'), encoding="utf-8-sig")
    with pytest.raises(CommandError) as refused:
        call_command("import-indicators", str(bad), source="worldbank")
    assert refused.value.returncode == 2
    assert "Line 9: The value “n/a” for 2015 is not a number." in str(refused.value)
    assert "nothing was loaded" in str(refused.value)
    assert not Observation.objects.exists() and not ImportRecord.objects.exists()
    with pytest.raises(CommandError) as refused:
        call_command("import-indicators", str(WB_API), source="imf")
    assert refused.value.returncode == 2 and "Unknown source “imf”" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("import-indicators", str(tmp_path / "missing.csv"), source="wipo")
    assert refused.value.returncode == 2 and "Cannot read" in str(refused.value)


def test_the_ipvalue_command_exits_2_with_the_line_and_the_reason(tmp_path, wipo_text):
    bad = tmp_path / "wipo.csv"
    bad.write_text(wipo_text.replace(",2020,", ",2O20,"), encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ipvalue.config.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "IPVALUE_VAR_DIR": str(tmp_path),
    }
    command = [str(Path(sys.executable).parent / "ipvalue"), "import-indicators", str(bad), "--source", "wipo"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert "Line 7: The heading “2O20” of column 6 is not a year." in result.stderr
    assert "Traceback" not in result.stderr
    result = subprocess.run(
        [*command[:3], "--source", "imf"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and "Unknown source" in result.stderr
