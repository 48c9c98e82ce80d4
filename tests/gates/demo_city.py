"""The demo city for browser gates that walk it.

Transactional tests flush every table after they run, including the reference
rows data migrations made (languages, themes, breakdown lists), which the demo
city and the quick log need. ``seed_demo_city`` puts those back (the migration
functions are idempotent) and then runs ``seed_demo``.
"""

from __future__ import annotations

import importlib
import io

from django.apps import apps
from django.core.management import call_command

REFERENCE_DATA = [
    ("stakeholders.migrations.0004_languages", "load"),
    ("engagements.migrations.0002_engagement_roles_and_lists", "forwards"),
    ("engagements.migrations.0014_equity_roles_and_age_bands", "forward"),
]


def restore_reference_data() -> None:
    """Re-create the rows the data migrations made, if a flush removed them."""
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


def seed_demo_city() -> None:
    restore_reference_data()
    call_command("seed_demo", stdout=io.StringIO())
