"""WSGI entry point: ``gunicorn equitime.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitime.settings")

application = get_wsgi_application()
