from django.urls import path

from equitime.exports import views

urlpatterns = [
    path("operations/exports/", views.export_list, name="export_list"),
    path("operations/exports/<int:pk>/download/", views.export_download, name="export_download"),
]
