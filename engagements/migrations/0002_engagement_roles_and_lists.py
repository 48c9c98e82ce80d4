"""Give the roles their engagement permissions and start the editable lists
(themes, the age-band breakdown) that admins can change afterwards."""

from django.db import migrations

THEMES = [
    "Affordable housing",
    "City services",
    "Education and youth",
    "Environment",
    "Health",
    "Jobs and small business",
    "Language access",
    "Parks and recreation",
    "Public safety",
    "Streets and transit",
]
BREAKDOWN_LANGUAGES = ["en", "es", "vi", "so", "ar", "zh", "asl"]
AGE_BANDS = ["Under 18", "18–24", "25–44", "45–64", "65 and over"]


def forwards(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)
    Theme = apps.get_model("engagements", "Theme")
    BreakdownCategory = apps.get_model("engagements", "BreakdownCategory")
    BreakdownOption = apps.get_model("engagements", "BreakdownOption")
    for name in THEMES:
        Theme.objects.get_or_create(name=name)
    language, _ = BreakdownCategory.objects.get_or_create(name="Language", defaults={"kind": "language", "position": 1})
    Language = apps.get_model("stakeholders", "Language")
    for position, lang in enumerate(Language.objects.filter(code__in=BREAKDOWN_LANGUAGES).order_by("name")):
        BreakdownOption.objects.get_or_create(
            category=language, label=lang.name, defaults={"language": lang, "position": position}
        )
    BreakdownCategory.objects.get_or_create(name="Neighborhood", defaults={"kind": "neighborhood", "position": 2})
    age, _ = BreakdownCategory.objects.get_or_create(name="Age band", defaults={"kind": "age_band", "position": 3})
    for position, label in enumerate(AGE_BANDS):
        BreakdownOption.objects.get_or_create(category=age, label=label, defaults={"position": position})


def backwards(apps, schema_editor):
    apps.get_model("engagements", "BreakdownCategory").objects.filter(
        name__in=["Language", "Neighborhood", "Age band"]
    ).delete()
    apps.get_model("engagements", "Theme").objects.filter(name__in=THEMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0001_engagements_commitments"),
        ("stakeholders", "0004_languages"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
