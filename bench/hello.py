"""A bare Django "hello world": the yardstick ``bench/pages.py`` measures beside Equitime.

    gunicorn --workers 2 --pythonpath bench hello:application

Its own minimal settings, no middleware, no database, no templates: what is
left is gunicorn, Django's request handling and URL resolving, so the ratio of
a page's rate to this one's says how much the page itself costs.
"""

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="hello-world-bench-only",  # noqa: S106 - signs nothing
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_I18N=False,
)
django.setup()


def hello(request):
    return HttpResponse("Hello, world\n", content_type="text/plain")


urlpatterns = [path("", hello)]

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after settings.configure

application = get_wsgi_application()
