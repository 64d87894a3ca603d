from django.urls import path

from equitime.digest import views

urlpatterns = [
    path("digest/", views.digest_page, name="digest"),
    path("digest/preview/<int:member_id>/", views.digest_preview, name="digest_preview"),
]
