from django.urls import path

from equitime.members import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("members/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
]
