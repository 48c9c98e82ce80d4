import unicodedata

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stakeholders.rows import choice_labels, person_name, pk_url, short_dates

from ..models import Commitment
from ..selectors.followups import home_commitments_due, home_elections, home_followups, home_term_ends

HOME_FOLLOWUPS = 10
HORIZON_DAYS = 180
COMMITMENT_CHARS = 120


@require_safe
@login_required
def home(request):
    """The signed-in user's home: open follow-ups, the commitments they owe this month, and
    elections and term ends ahead that touch the people they have relationships with."""
    today = timezone.localdate()
    short_date = short_dates()
    # Each row of the two "coming up" lists is one line of text, made here: a row then costs
    # the template one variable, not four (the large city fills both lists, 100 rows).
    elections = home_elections(request.user, today=today, days=HORIZON_DAYS)
    for row in elections:
        row["text"] = f"{short_date(row['date'])} · {row['election']}: {row['position']} ({row['holder']})"
    return render(
        request,
        "engagements/home.html",
        {
            "roles": sorted(request.user.role_names),
            "today": today,
            "followups": home_followups(request.user, today=today, limit=HOME_FOLLOWUPS),
            "elections": elections,
            "term_ends": [
                _term_end_row(
                    date=short_date(row["planned_end_date"]),
                    person=person_name(
                        row["person__first_name"], row["person__preferred_name"], row["person__last_name"]
                    ),
                    position=row["position__title"],
                )
                for row in home_term_ends(request.user, today=today, days=HORIZON_DAYS)
            ],
            "horizon_days": HORIZON_DAYS,
            "commitments_due": _commitment_rows(home_commitments_due(request.user, today=today), today, short_date),
        },
    )


def _term_end_row(*, date: str, person: str, position: str) -> dict:
    return {"date": date, "person": person, "position": position, "text": f"{date} · {person}, {position}"}


def _commitment_rows(commitments, today, short_date) -> list[dict]:
    """Each commitment as its pk and its whole list item, one ``format_html()`` per row: a
    staff member of a large city has the 50 the list holds, and each had cost the template a
    ``blocktranslate``, a condition and five variables."""
    url = pk_url("engagements:commitment_detail")
    status_labels = choice_labels(Commitment.Status.choices)
    overdue = format_html('<span class="badge text-bg-danger">{}</span> ', _("Overdue"))
    due = _("due %(date)s")
    return [
        {
            "pk": row["pk"],
            "html": format_html(
                '<a class="fw-semibold" href="{}">{}</a><div class="small text-body-secondary">{}{} · {} · {}</div>',
                url(row["pk"]),
                _truncated(row["description"], COMMITMENT_CHARS),
                overdue if row["due_on"] < today else "",
                due % {"date": short_date(row["due_on"])},
                status_labels.get(row["status"], row["status"]),
                row["engagement_title"],
            ),
        }
        for row in commitments
    ]


def _truncated(text: str, length: int) -> str:
    """``text|truncatechars:length``, without walking the characters of a text that fits."""
    normalized = unicodedata.normalize("NFC", text)
    return normalized if len(normalized) <= length else Truncator(text).chars(length)
