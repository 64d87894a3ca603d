from django.urls import path

from equitime.cpd import views

urlpatterns = [
    path("cpd/", views.record_page, name="cpd_record"),
    path("cpd/record.pdf", views.record_pdf_download, name="cpd_record_pdf"),
    path("cpd/record.csv", views.record_csv_download, name="cpd_record_csv"),
]
