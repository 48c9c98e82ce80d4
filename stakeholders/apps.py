from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
        from .panels import Panel, register

        register(
            "person", Panel(_("Positions held"), "stakeholders:person_positions_panel", "stakeholders.view_tenure")
        )
        register("person", Panel(_("Relationships"), "stakeholders:person_relationships_panel"))
        register("person", Panel(_("Who could reach them"), "stakeholders:person_messengers_panel"))
