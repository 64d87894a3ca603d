from django.urls import path

from equitime.members import directory, privacy_views, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("members/", directory.member_directory, name="member_directory"),
    path("members/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("privacy/", privacy_views.privacy_notice, name="privacy_notice"),
    path("account/privacy/", privacy_views.account_privacy, name="account_privacy"),
    path("account/data/", privacy_views.account_data_download, name="account_data_download"),
    path("account/delete/", privacy_views.account_delete, name="account_delete"),
]
