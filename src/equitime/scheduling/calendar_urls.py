"""Routes of calendars: the member's calendar page, their feed, one session's file."""

from django.urls import URLPattern, path

from equitime.scheduling import calendar_views as views

urlpatterns: list[URLPattern] = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/reminders/", views.calendar_reminders, name="calendar_reminders"),
    path("calendar/feed/", views.calendar_feed_make, name="calendar_feed_make"),
    path("calendar/feed/revoke/", views.calendar_feed_revoke_view, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("sessions/<int:pk>/calendar.ics", views.session_calendar, name="session_calendar"),
]
