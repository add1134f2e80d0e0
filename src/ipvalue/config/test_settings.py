"""Settings for the test suite: the real settings with fast password hashing, unhashed static files and tasks run
immediately. The database is still the one DATABASE_URL names (SQLite by default, PostgreSQL in CI)."""

from ipvalue.config.settings import *  # noqa: F403
from ipvalue.config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
# The browser tests talk plain HTTP to a live server; production's HTTPS-only cookies are checked by
# `tests/core/test_security.py`, which runs `check --deploy` on the production settings.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Static files come from the apps' folders (finders); nothing is collected for tests.
STATIC_ROOT = None
# Rate limits are switched on in the tests that check them (tests/toolkit/test_views.py).
RATELIMIT_ENABLE = False
