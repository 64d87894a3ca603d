from django.urls import path

from equitime.members import directory, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("members/", directory.member_directory, name="member_directory"),
    path("members/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
]
