"""The community pool exists from the start: it funds every welcome gift."""

from django.db import migrations


def create_pool(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.get_or_create(code="pool", defaults={"kind": "system", "name": "Community pool"})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(create_pool, migrations.RunPython.noop)]
