from django.urls import path

from equitime.coordination import views

urlpatterns = [
    path("coordinate/", views.coordination_home, name="coordination_home"),
    path("coordinate/<int:member_id>/", views.coordination_member, name="coordination_member"),
    path(
        "coordinate/<int:member_id>/listings/new/",
        views.coordination_listing_new,
        name="coordination_listing_new",
    ),
    path(
        "coordinate/<int:member_id>/exchanges/new/",
        views.coordination_exchange_new,
        name="coordination_exchange_new",
    ),
    path(
        "coordinate/<int:member_id>/exchanges/<int:pk>/<str:action>/",
        views.coordination_exchange_act,
        name="coordination_exchange_act",
    ),
    path("account/coordinators/", views.coordination_mine, name="coordination_mine"),
    path(
        "account/coordinators/<int:pk>/withdraw/",
        views.coordination_consent_withdraw,
        name="coordination_consent_withdraw",
    ),
]
