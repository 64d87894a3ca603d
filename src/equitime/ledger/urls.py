from django.urls import path

from equitime.ledger import views

urlpatterns = [
    path("give/", views.donate, name="donate"),
]
