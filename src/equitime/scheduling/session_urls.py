"""One-to-one sessions' pages: the actions on an exchange's session, and "My sessions"."""

from django.urls import path

from equitime.scheduling import views

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("exchanges/<int:pk>/session/propose/", views.session_propose, name="session_propose"),
    path(
        "exchanges/<int:pk>/session/choose/<int:time_pk>/",
        views.session_choose,
        name="session_choose",
    ),
    path("exchanges/<int:pk>/session/move/", views.session_move, name="session_move"),
    path("exchanges/<int:pk>/session/cancel/", views.session_cancel, name="session_cancel"),
]
