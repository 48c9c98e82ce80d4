from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = _("Engagements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from stakeholders import panels

        from . import (
            admin_engagements,  # noqa: F401  (registers the back-office pages)
            receivers,  # noqa: F401  (connects the follow-up rules to the domain events)
        )

        see = "engagements.view_engagement"
        panels.register("person", panels.Panel(_("Engagements"), "engagements:person_panel", see))
        panels.register("organization", panels.Panel(_("Engagements hosted"), "engagements:organization_panel", see))
        # Who may see it is decided by the stipend selectors inside the view (admins and the liaison).
        panels.register(
            "stipend_payment", panels.Panel(_("Engagements paid for"), "engagements:payment_engagements_panel")
        )
        panels.register("liaison", panels.Panel(_("Engagements facilitated"), "engagements:liaison_engagements_panel"))
