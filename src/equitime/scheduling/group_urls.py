"""The group sessions' routes (included by ``scheduling.urls``)."""

from django.urls import path

from equitime.scheduling import group_views as views

urlpatterns = [
    path("sessions/groups/", views.group_session_list, name="group_session_list"),
    path("sessions/groups/new/", views.group_session_create, name="group_session_create"),
    path("sessions/groups/<int:pk>/", views.group_session_detail, name="group_session_detail"),
    path("sessions/groups/<int:pk>/sign-up/", views.group_sign_up, name="group_sign_up"),
    path("sessions/groups/<int:pk>/leave/", views.group_leave, name="group_leave"),
    path(
        "sessions/groups/<int:pk>/cancel/",
        views.group_session_cancel,
        name="group_session_cancel",
    ),
    path(
        "sessions/groups/<int:pk>/attendance/",
        views.group_attendance,
        name="group_attendance",
    ),
    path("sessions/settings/", views.scheduling_settings, name="scheduling_settings"),
]
