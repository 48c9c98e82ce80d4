from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    name = "coalition"
    verbose_name = _("Coalitions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from stakeholders import panels

        from . import receivers  # noqa: F401  (the coalition's part of erasing a person)

        panels.register("organization", panels.Panel(_("Coalitions"), "coalition:organization_panel"))
        panels.register("person", panels.Panel(_("Coalitions and stances"), "coalition:person_panel"))
