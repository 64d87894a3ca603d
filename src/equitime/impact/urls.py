from django.urls import path

from equitime.impact import views

urlpatterns = [
    path("impact/", views.impact_public, name="impact_public"),
    path("impact/dashboard/", views.impact_dashboard, name="impact_dashboard"),
]
