from django.urls import path

from equitime.dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("members/<int:pk>/", views.profile_detail, name="profile_detail"),
]
