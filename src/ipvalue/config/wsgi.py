"""WSGI entry point: ``gunicorn ipvalue.config.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipvalue.config.settings")
application = get_wsgi_application()
