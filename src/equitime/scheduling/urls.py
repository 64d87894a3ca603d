"""The scheduling app's pages: each part (one-to-one sessions, group sessions,
calendars) keeps its own module of routes, included here."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("equitime.scheduling.calendar_urls")),
    path("", include("equitime.scheduling.group_urls")),
    path("", include("equitime.scheduling.session_urls")),
]
