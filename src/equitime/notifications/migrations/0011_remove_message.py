from django.db import migrations, models


class Migration(migrations.Migration):
    """The English text goes: a notification is put into words when read."""

    dependencies = [
        ("notifications", "0010_message_to_params"),
    ]

    operations = [
        migrations.AlterField(
            # Reversed, the column comes back empty-defaulted before 0010 refills it.
            model_name="notification",
            name="message",
            field=models.CharField(default="", max_length=300, verbose_name="message"),
        ),
        migrations.RemoveField(
            model_name="notification",
            name="message",
        ),
    ]
