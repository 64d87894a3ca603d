from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ImprovementArea",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="description")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
            ],
            options={"verbose_name": "improvement area", "verbose_name_plural": "improvement areas", "ordering": ["position", "name"]},
        ),
        migrations.CreateModel(
            name="SkillCategory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
            ],
            options={"verbose_name": "skill category", "verbose_name_plural": "skill categories", "ordering": ["position", "name"]},
        ),
        migrations.CreateModel(
            name="Skill",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                ("category", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="skills", to="skills.skillcategory", verbose_name="category")),
            ],
            options={"verbose_name": "skill", "verbose_name_plural": "skills", "ordering": ["name"]},
        ),
    ]
