"""Load ISO 639 languages: the languages most spoken in US cities, and major world
languages. Admins can add more in the back office."""

from django.db import migrations

LANGUAGES = [
    ("am", "Amharic"),
    ("ar", "Arabic"),
    ("asl", "American Sign Language"),
    ("bn", "Bengali"),
    ("bs", "Bosnian"),
    ("my", "Burmese"),
    ("yue", "Cantonese"),
    ("zh", "Chinese"),
    ("prs", "Dari"),
    ("nl", "Dutch"),
    ("en", "English"),
    ("fa", "Persian (Farsi)"),
    ("fil", "Filipino"),
    ("fr", "French"),
    ("de", "German"),
    ("el", "Greek"),
    ("gu", "Gujarati"),
    ("ht", "Haitian Creole"),
    ("ha", "Hausa"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hmn", "Hmong"),
    ("ig", "Igbo"),
    ("ilo", "Ilocano"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("kar", "Karen"),
    ("km", "Khmer"),
    ("rw", "Kinyarwanda"),
    ("ko", "Korean"),
    ("ku", "Kurdish"),
    ("lo", "Lao"),
    ("mam", "Mam"),
    ("cmn", "Mandarin"),
    ("mh", "Marshallese"),
    ("ne", "Nepali"),
    ("om", "Oromo"),
    ("ps", "Pashto"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("pa", "Punjabi"),
    ("qu", "Quechua"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sm", "Samoan"),
    ("sr", "Serbian"),
    ("so", "Somali"),
    ("es", "Spanish"),
    ("sw", "Swahili"),
    ("tl", "Tagalog"),
    ("ta", "Tamil"),
    ("te", "Telugu"),
    ("th", "Thai"),
    ("ti", "Tigrinya"),
    ("to", "Tongan"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("vi", "Vietnamese"),
    ("wo", "Wolof"),
    ("yi", "Yiddish"),
    ("yo", "Yoruba"),
    ("zu", "Zulu"),
    ("nv", "Navajo"),
    ("chk", "Chuukese"),
    ("sq", "Albanian"),
    ("hy", "Armenian"),
    ("ff", "Fula"),
    ("mn", "Mongolian"),
]


def load(apps, schema_editor):
    Language = apps.get_model("stakeholders", "Language")
    Language.objects.bulk_create([Language(code=code, name=name) for code, name in LANGUAGES], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0003_people_government")]
    # Reversing keeps the rows: reference data, dropped with its table by 0003's reversal.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
