from django.urls import path

from equitime.credits import views

urlpatterns = [
    path("give/", views.donate, name="donate"),
]
