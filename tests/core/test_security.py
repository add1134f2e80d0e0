"""Production mode (DEBUG off, the default) is secure by default: checked on the real settings module, loaded in a
separate process with a production environment."""

import os
import secrets
import subprocess
import sys
import textwrap

import pytest


def production_env(tmp_path) -> dict[str, str]:
    unset = {"DEBUG", "IPVALUE_HTTPS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    return env | {
        "DJANGO_SETTINGS_MODULE": "ipvalue.config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "ipvalue.example.org",
        "IPVALUE_VAR_DIR": str(tmp_path),
    }


def test_deploy_checks_pass_in_production_mode(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ipvalue", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_responses_carry_security_headers(tmp_path):
    script = textwrap.dedent(
        """
        import django, json
        django.setup()
        from django.conf import settings
        from django.test import Client
        from django.test.utils import setup_test_environment
        setup_test_environment()
        client = Client(HTTP_HOST="ipvalue.example.org")
        plain = client.get("/healthz")
        secure = client.get("/api/openapi.json", secure=True)
        print(json.dumps({
            "debug": settings.DEBUG,
            "session_secure": settings.SESSION_COOKIE_SECURE,
            "csrf_secure": settings.CSRF_COOKIE_SECURE,
            "healthz_over_http": plain.status_code,
            "redirect": client.get("/api/openapi.json").status_code,
            "hsts": secure.headers.get("Strict-Transport-Security", ""),
            "csp": secure.headers.get("Content-Security-Policy", ""),
            "frame": secure.headers.get("X-Frame-Options", ""),
        }))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["debug"] is False
    assert facts["session_secure"] and facts["csrf_secure"]
    assert facts["healthz_over_http"] == 200  # load balancers probe over plain HTTP
    assert facts["redirect"] == 301  # everything else goes to HTTPS
    assert "max-age=31536000" in facts["hsts"]
    assert "default-src 'self'" in facts["csp"] and "frame-ancestors 'none'" in facts["csp"]
    assert facts["frame"] == "DENY"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    csp = client.get("/en/about/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
