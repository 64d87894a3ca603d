"""The scheduling app's pages: each part (one-to-one sessions, group sessions,
calendars) keeps its own module of routes, included here."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
