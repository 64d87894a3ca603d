from django.urls import path

from equitime.matching import views

urlpatterns = [
    path("matching/requests/<int:pk>/ask/", views.help_ask, name="help_ask"),
    path(
        "matching/invitations/<int:pk>/",
        views.help_invitation_detail,
        name="help_invitation_detail",
    ),
    path(
        "matching/invitations/<int:pk>/<str:action>/",
        views.help_invitation_act,
        name="help_invitation_act",
    ),
    path("matching/settings/", views.suggestion_settings, name="suggestion_settings"),
]
