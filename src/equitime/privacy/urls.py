from django.urls import path

from equitime.privacy import views

urlpatterns = [
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("account/privacy/", views.account_privacy, name="account_privacy"),
    path("account/data/", views.account_data_download, name="account_data_download"),
    path("account/delete/", views.account_delete, name="account_delete"),
]
