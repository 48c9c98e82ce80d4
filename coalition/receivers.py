"""Receivers of the stakeholders domain events. Imported by ``CoalitionConfig.ready``."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from stakeholders import events
from stakeholders.services.privacy import erasure_kind_register, redact_text

from .models import AllyStance, MemberResource, Membership, StanceChange, WorkingGroup

erasure_kind_register("coalition_memberships", _("Coalition memberships"))
erasure_kind_register("ally_stances", _("Ally stances and their history"))
erasure_kind_register("working_groups", _("Working group places"))
erasure_kind_register("coalition_texts_redacted", _("Coalition notes redacted"))


@receiver(events.person_erasing, dispatch_uid="coalition.person_erasing")
def on_person_erasing(sender, person, needles, dry_run, **kwargs):
    """An erased person leaves no membership, stance or working-group place behind."""
    memberships = Membership.objects.filter(person=person)
    stances = AllyStance.objects.filter(person=person)
    places = WorkingGroup.people.through.objects.filter(person_id=person.pk)
    counts = {
        "coalition_memberships": memberships.count(),
        "ally_stances": stances.count(),
        "working_groups": places.count(),
        # Notes elsewhere in the coalition that name them (a resource, a stance change of someone else).
        "coalition_texts_redacted": redact_text(
            MemberResource.objects.exclude(membership__person=person), ["note"], needles, dry_run=dry_run
        )
        + redact_text(StanceChange.objects.exclude(ally_stance__person=person), ["note"], needles, dry_run=dry_run)
        + redact_text(AllyStance.objects.exclude(person=person), ["notes"], needles, dry_run=dry_run),
    }
    if not dry_run:
        memberships.delete()
        stances.delete()  # their stance changes go with them
        places.delete()
    return counts
