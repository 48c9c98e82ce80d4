"""Rendering helpers for the ally map.

A map can hold 1,800 allies over some 300 matrix cells. Building the matrix
body as escaped strings here is several times faster than the same markup in
a template loop (or through ``format_html``), which keeps the page within its
budget. Every value is escaped with ``html.escape`` before the result is
marked safe.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.models import Influence

register = template.Library()


def _risk_labels() -> dict[str, str]:
    return {
        "term_end": escape(_("Term ending")),
        "ballot": escape(_("Seat on the ballot")),
        "no_contact": escape(_("No recent contact")),
        "vacated": escape(_("Former seat not covered")),
    }


def _influence_labels() -> dict[str, str]:
    return {value: escape(str(label)) for value, label in Influence.choices}


def _position(item, words) -> str:
    if item.position_id is None:
        return f'<span class="text-body-secondary">{words["no_position"]}</span>'
    if item.is_former:
        return f'{escape(item.position_title)} <span class="text-body-secondary">({words["former"]})</span>'
    return escape(item.position_title)


def _words() -> dict[str, str]:
    return {
        "former": escape(_("former")),
        "no_position": escape(_("No position")),
        "owner": escape(_("Owner")),
        "nobody": escape(_("nobody")),
        "last_contact": escape(_("Last contact")),
        "never": escape(_("never")),
        "influence": escape(_("Influence")),
        "risk": escape(_("Risk")),
        "risks": escape(_("Risks")),
        "edit": escape(_("Edit stance")),
    }


@register.simple_tag
def ally_cards(allies, can_manage: bool):
    """Full cards, for a focused list: name, position, owner, last contact, influence, risk flags with reasons."""
    if not allies:
        return ""
    words = _words()
    influence_labels = _influence_labels()
    parts = []
    for item in allies:
        url, name = escape(item.url), escape(item.name)
        last_contact = item.last_contact_on.isoformat() if item.last_contact_on else words["never"]
        parts.append(
            f'<div class="ally-card{" ally-at-risk" if item.flags else ""}" data-testid="ally">'
            f'<a class="fw-semibold" href="{url}">{name}</a>'
            f'<div class="small">{_position(item, words)}</div>'
            f'<div class="small">{words["owner"]}: {escape(item.owner_name) or words["nobody"]}</div>'
            f'<div class="small">{words["last_contact"]}: {last_contact}</div>'
            f'<div class="small">{words["influence"]}: {influence_labels[item.influence]}</div>'
        )
        if item.flags:
            parts.append('<ul class="list-unstyled small mb-1 risk-flags">')
            for flag in item.flags:
                parts.append(
                    f'<li class="risk-flag risk-{escape(flag.code)}"><span class="badge text-bg-warning">'
                    f"{words['risk']}</span> {escape(flag.reason)}</li>"
                )
            parts.append("</ul>")
        if can_manage:
            parts.append(
                f'<a class="btn btn-link btn-sm p-0" href="{url}" hx-get="{url}" hx-target="#stance-editor" '
                f'hx-swap="innerHTML">{words["edit"]}<span class="visually-hidden"> {name}</span></a>'
            )
        parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 -- every value above is escaped


@register.simple_tag
def ally_matrix_body(the_map, can_manage: bool, map_url: str, filter_query: str):
    """The rows of the department-by-stance matrix. Each cell shows its first allies as
    compact cards (name, position, owner and influence, the kinds of risk) and, when
    it holds more, a "Show all" link to the cell as a paged list, with its at-risk count.

    The stance editor links inherit their htmx target from the ``<tbody>``."""
    words = _words()
    risk_labels = _risk_labels()
    influence_labels = _influence_labels()
    stance_labels = [(value, escape(str(label))) for value, label in the_map.stances]
    outside = escape(_("Outside government"))
    base = escape(f"{map_url}?{filter_query}&" if filter_query else f"{map_url}?")
    show_all_texts: dict[int, str] = {}  # by count: ngettext once per distinct number
    at_risk_texts: dict[int, str] = {}
    parts = []
    for row in the_map.rows:
        department = escape(row.department.name) if row.department else outside
        parts.append(
            f'<tr class="{"dept-top" if row.depth == 0 else "dept-nested"}">'
            f'<th scope="row" class="dept-depth-{row.depth}">{department}</th>'
        )
        for (stance, stance_label), cell in zip(stance_labels, row.cells, strict=True):
            parts.append("<td>")
            for item in cell.allies:
                url, name = escape(item.url), escape(item.name)
                parts.append(
                    f'<div class="ally-card{" ally-at-risk" if item.flags else ""}" data-testid="ally">'
                    f'<a class="fw-semibold" href="{url}">{name}</a>'
                    f'<div class="small">{_position(item, words)}</div>'
                    f'<div class="small">{words["owner"]}: {escape(item.owner_name) or words["nobody"]} · '
                    f"{words['influence']}: {influence_labels[item.influence]}</div>"
                )
                if item.flags:
                    kinds = " · ".join(dict.fromkeys(risk_labels[flag.code] for flag in item.flags))
                    parts.append(f'<div class="small risk-flags">{words["risks"]}: {kinds}</div>')
                if can_manage:
                    parts.append(
                        f'<a class="btn btn-link btn-sm p-0" href="{url}" hx-get="{url}">{words["edit"]}'
                        f'<span class="visually-hidden"> {name}</span></a>'
                    )
                parts.append("</div>")
            if cell.more:
                link = escape(f"department={row.key}&stance={stance}")
                show_all = show_all_texts.get(cell.count)
                if show_all is None:
                    show_all = show_all_texts[cell.count] = escape(
                        ngettext("Show all %(count)s ally", "Show all %(count)s allies", cell.count)
                        % {"count": cell.count}
                    )
                parts.append(
                    f'<a class="small" data-testid="cell-all" href="{base}{link}" hx-get="{base}{link}" '
                    f'hx-target="#ally-matrix" hx-swap="outerHTML" hx-push-url="true">{show_all}'
                    f'<span class="visually-hidden">: {stance_label}, {department}</span></a>'
                )
                if cell.at_risk_count:
                    at_risk = at_risk_texts.get(cell.at_risk_count)
                    if at_risk is None:
                        at_risk = at_risk_texts[cell.at_risk_count] = escape(
                            ngettext("%(count)s at risk", "%(count)s at risk", cell.at_risk_count)
                            % {"count": cell.at_risk_count}
                        )
                    parts.append(f' <span class="small text-body-secondary">({at_risk})</span>')
            parts.append("</td>")
        parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 -- every value above is escaped


@register.simple_tag
def graph_table_rows(rows):
    """The rows of the network table: each node with its type, stance and connections."""
    parts = []
    for row in rows:
        links = "".join(f"<li>{escape(str(kind))} {escape(other)}</li>" for kind, other in row["links"])
        parts.append(
            f'<tr><td><a href="{escape(row["url"])}">{escape(row["label"])}</a></td><td>{escape(str(row["type"]))}</td>'
            f'<td>{escape(str(row["stance"]))}</td><td><ul class="list-unstyled mb-0">{links}</ul></td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 -- every value above is escaped
