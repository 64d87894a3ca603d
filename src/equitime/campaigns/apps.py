from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "equitime.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        # The product deletes no campaign; should one be deleted (the shell, a
        # test), its image file goes once the deletion is committed.
        from django.db.models.signals import post_delete

        from equitime.campaigns.models import Campaign
        from equitime.campaigns.services import campaign_deleted

        post_delete.connect(campaign_deleted, sender=Campaign, dispatch_uid="campaigns.image_file")
