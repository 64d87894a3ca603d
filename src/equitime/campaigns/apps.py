from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "equitime.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
