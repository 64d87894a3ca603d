from django.urls import path

from equitime.exchanges import views

urlpatterns = [
    path("exchanges/", views.exchange_list, name="exchange_list"),
    path("exchanges/new/", views.exchange_direct, name="exchange_direct"),
    path("exchanges/propose/<int:listing_pk>/", views.exchange_propose, name="exchange_propose"),
    path("exchanges/<int:pk>/", views.exchange_detail, name="exchange_detail"),
    path("exchanges/<int:pk>/<str:action>/", views.exchange_act, name="exchange_act"),
]
