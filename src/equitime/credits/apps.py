from django.apps import AppConfig


class CreditsConfig(AppConfig):
    """A member's credits as they see them: the balance, their history and
    giving credits away, on pages and in the API. The books themselves are the
    ledger's; this app asks the members' rules first, then calls it."""

    name = "equitime.credits"
    label = "credits"
    verbose_name = "Credits"
