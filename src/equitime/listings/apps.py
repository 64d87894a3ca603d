from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save


class ListingsConfig(AppConfig):
    name = "equitime.listings"
    label = "listings"
    verbose_name = "Offers and requests"

    def ready(self):
        from equitime.listings import search

        # A listing's search row holds the names of its skills, their
        # categories, its improvement area and its owner's organisation: the
        # rows follow every rename, however it is made (listings.search).
        for model in search.followed_models():
            uid = f"listing-search-{model._meta.label_lower}"
            pre_save.connect(search.listing_search_follow_before_save, model, dispatch_uid=uid)
            post_save.connect(search.listing_search_follow_after_save, model, dispatch_uid=uid)
            pre_delete.connect(search.listing_search_follow_before_delete, model, dispatch_uid=uid)
            post_delete.connect(search.listing_search_follow_after_delete, model, dispatch_uid=uid)
