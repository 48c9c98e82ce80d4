"""Give the roles the equity permissions, and tell the default age-band options which
self-identified age bands they cover (so named attendees count under them)."""

from django.db import migrations

# The default options (0002) and the PersonDemographics.AgeBand values each covers.
AGE_BANDS = {
    "Under 18": ["under_18"],
    "18–24": ["18_24"],
    "25–44": ["25_34", "35_44"],
    "45–64": ["45_54", "55_64"],
    "65 and over": ["65_plus"],
}


def forward(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)
    BreakdownOption = apps.get_model("engagements", "BreakdownOption")
    for label, bands in AGE_BANDS.items():
        BreakdownOption.objects.filter(category__kind="age_band", label=label, age_bands=[]).update(age_bands=bands)


def backward(apps, schema_editor):
    BreakdownOption = apps.get_model("engagements", "BreakdownOption")
    BreakdownOption.objects.filter(category__kind="age_band").update(age_bands=[])


class Migration(migrations.Migration):
    dependencies = [("engagements", "0013_equity")]

    operations = [migrations.RunPython(forward, backward)]
