from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "equitime.listings"
    label = "listings"
    verbose_name = "Offers and requests"
