from django.urls import path

from equitime.listings import browse, views

urlpatterns = [
    path("listings/", browse.listing_browse, name="listing_browse"),
    path("listings/new/<str:kind>/", views.listing_create, name="listing_create"),
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path(
        "listings/<int:pk>/close/confirm/",
        views.listing_close_confirm,
        name="listing_close_confirm",
    ),
    path("listings/<int:pk>/<str:action>/", views.listing_act, name="listing_act"),
]
