from django.urls import path

from equitime.members import (
    directory,
    invitation_views,
    language_views,
    picker,
    profile_views,
    security_views,
    verification_views,
)

urlpatterns = [
    path("members/", directory.member_directory, name="member_directory"),
    path("members/search/", picker.colleague_search, name="colleague_search"),
    path("profile/edit/", profile_views.profile_edit, name="profile_edit"),
    path("language/", language_views.language_choose, name="language_choose"),
    path("account/security/", security_views.account_security, name="account_security"),
    path(
        "account/email/confirm-again/",
        verification_views.email_confirmation_resend,
        name="email_confirmation_resend",
    ),
    path("invitations/", invitation_views.invitation_list, name="invitation_list"),
    path(
        "invitations/<int:pk>/withdraw/",
        invitation_views.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
    path("join/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
]
