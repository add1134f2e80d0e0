"""Every published case in shared/reference/valuation-cases.json, through the library and through the CLI."""

import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ipvalue.valuation import valuate
from ipvalue.valuation.cli import main

REFERENCE = Path(os.environ.get("IPVALUE_SHARED", Path(__file__).resolve().parents[3] / "shared")) / "reference"
CASES_FILE = REFERENCE / "valuation-cases.json"
CASES = json.loads(CASES_FILE.read_text())["cases"] if CASES_FILE.exists() else []

if not CASES and os.environ.get("CI", "").lower() == "true":
    raise RuntimeError(f"CI must run the reference cases, but {CASES_FILE} is missing")
pytestmark = pytest.mark.skipif(not CASES, reason=f"reference cases not found at {CASES_FILE}")


def close(actual: float, expected: float, case: dict) -> bool:
    return math.isclose(actual, expected, rel_tol=case.get("rel_tol", 0.0), abs_tol=case.get("abs_tol", 0.0))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_library_reproduces_the_published_figures(case):
    output = valuate(case["method"], case["input"]).as_output()
    for key, expected in case["expect"].items():
        assert close(output[key], expected, case), (case["id"], key, output[key], expected)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_cli_reproduces_the_published_figures(case):
    out = io.StringIO()
    assert main([case["method"]], stdin=io.StringIO(json.dumps(case["input"])), out=out) == 0
    output = json.loads(out.getvalue())
    assert output["method"] == case["method"]
    for key, expected in case["expect"].items():
        assert close(output[key], expected, case), (case["id"], key)


def test_the_installed_command_reads_a_file_and_exits_2_on_bad_input(tmp_path):
    case = CASES[0]
    path = tmp_path / "input.json"
    path.write_text(json.dumps(case["input"]))
    command = [sys.executable, "-m", "ipvalue", "valuate", case["method"], "--input", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert close(json.loads(done.stdout)["value"], case["expect"]["value"], case)
    bad = subprocess.run(
        [sys.executable, "-m", "ipvalue", "valuate", "black-scholes"],
        input=json.dumps({**CASES[0]["input"], "volatility": -0.2}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    error = json.loads(bad.stdout)
    assert error["detail"][0]["loc"] == ["volatility"] and error["detail"][0]["msg"]
