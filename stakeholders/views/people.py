"""Pages for people, organizations, neighborhoods and the CSV import."""

from __future__ import annotations

import csv
import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import importing
from ..exports import safe_cell
from ..filters.people import OrganizationFilter, PersonFilter
from ..forms.people import (
    AffiliationForm,
    DemographicsForm,
    ImportUploadForm,
    MergeForm,
    NeighborhoodForm,
    OrganizationForm,
    OrganizationMemberForm,
    PersonForm,
    PersonQuickForm,
)
from ..models import ConsentRecord, ErasureCertificate, Organization, PersonDemographics
from ..panels import panels_for
from ..roles import Role
from ..rows import with_choice_labels, with_detail_urls
from ..security_log import Action, logs_export, security_event_record
from ..selectors import people as selectors
from ..selectors.search import PeopleSearch
from ..services import people as services
from ..services.privacy import consent_current
from .pagination import CountingPagePaginator

PAGE_SIZE = 50
SEARCH_RESULTS = 20
_TARGET_ID = re.compile(r"^[A-Za-z][\w-]{0,80}$")


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError at the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheets read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


# --- people --------------------------------------------------------------------


@login_required
@permission_required("stakeholders.view_person", raise_exception=True)
def person_list(request):
    person_filter = PersonFilter(request.GET, queryset=selectors.people_visible_to(request.user))
    search = person_filter.people_search()
    if search is not None:
        paginator = CountingPagePaginator(search, PAGE_SIZE)
    else:
        paginator = Paginator(selectors.people_list_rows(person_filter.qs), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = with_detail_urls(page.object_list, "stakeholders:person_detail")
    template = "stakeholders/person_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": person_filter, "page": page})


@login_required
@permission_required("stakeholders.view_person", raise_exception=True)
@logs_export("people")
def person_export(request):
    person_filter = PersonFilter(request.GET, queryset=selectors.people_list_for(request.user))
    header = [
        "first_name",
        "last_name",
        "preferred_name",
        "pronouns",
        "email",
        "phone",
        "preferred_language",
        "languages",
        "neighborhood",
        "tags",
        "may_contact",
        "may_share",
        "organizations",
    ]
    rows = (
        [
            person.first_name,
            person.last_name,
            person.preferred_name,
            person.pronouns,
            person.email,
            person.phone,
            person.preferred_language.code if person.preferred_language else "",
            "; ".join(language.code for language in person.languages.all()),
            person.neighborhood.name if person.neighborhood else "",
            "; ".join(tag.name for tag in person.tags.all()),
            _yes_no(person.may_contact),
            _yes_no(person.may_share),
            "; ".join(a.organization.name for a in person.affiliations.all() if a.end_date is None),
        ]
        for person in person_filter.qs.iterator(chunk_size=500)
    )
    return _csv_response(f"people-{timezone.localdate():%Y-%m-%d}.csv", header, rows)


@login_required
@permission_required("stakeholders.view_person", raise_exception=True)
def person_detail(request, pk):
    person = selectors.person_for_user(request.user, pk)
    if not request.user.has_role(Role.ADMIN):
        # Residents' records: who outside the admin role looked at whom is auditable.
        security_event_record(action=Action.PERSON_VIEWED, request=request, obj=person)
    context = {
        "person": person,
        "affiliations": person.affiliations.select_related("organization"),
        "can_edit": selectors.can_edit_person(request.user, person),
        "panels": panels_for("person", request.user, person.pk),
        "consent_current": [
            (ConsentRecord.Purpose(purpose).label, record) for purpose, record in consent_current(person).items()
        ],
        "consent_history": ConsentRecord.objects.filter(person=person).select_related("recorded_by")[:50],
        "consent_sources": [(v, label) for v, label in ConsentRecord.Source.choices if v != "migrated"],
        "erased": ErasureCertificate.objects.filter(person_pk=person.pk).exists(),
    }
    if selectors.can_view_demographics(request.user):
        context["demographics"] = PersonDemographics.objects.filter(person=person).first()
        context["show_demographics"] = True
    if selectors.can_view_history(request.user):
        context["history"] = selectors.person_history(person)
    return render(request, "stakeholders/person_detail.html", context)


def _person_service_kwargs(data: dict) -> dict:
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "preferred_name": data["preferred_name"],
        "pronouns": data["pronouns"],
        "email": data["email"],
        "phone": data["phone"],
        "preferred_language": data["preferred_language"],
        "languages": data["languages"],
        "neighborhood": data["neighborhood"],
        "tags": data["tags"],
        "may_contact": data["may_contact"],
        "may_share": data["may_share"],
        "notes": data["notes"],
    }


@login_required
@permission_required("stakeholders.add_person", raise_exception=True)
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **_person_service_kwargs(form.cleaned_data))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": person})
            return redirect(person)
    return render(request, "stakeholders/person_form.html", {"form": form, "title": _("New person")})


@login_required
@permission_required("stakeholders.view_person", raise_exception=True)
def person_edit(request, pk):
    person = selectors.person_for_user(request.user, pk)
    if not selectors.can_edit_person(request.user, person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, actor=request.user, **_person_service_kwargs(form.cleaned_data))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": person})
            return redirect(person)
    return render(
        request,
        "stakeholders/person_form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": person}, "person": person},
    )


@login_required
@permission_required("stakeholders.view_demographics", raise_exception=True)
def person_demographics(request, pk):
    person = selectors.person_for_user(request.user, pk)
    current = PersonDemographics.objects.filter(person=person).first()
    form = DemographicsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_demographics_record(
                person=person,
                actor=request.user,
                consent=data["consent"],
                age_band=data["age_band"],
                gender_identity=data["gender_identity"],
                race_ethnicity=data["race_ethnicity"],
                disability=data["disability"],
                household_size=data["household_size"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Demographics of %(name)s saved.") % {"name": person})
            return redirect(person)
    return render(
        request,
        "stakeholders/person_form.html",
        {"form": form, "title": _("Demographics of %(name)s") % {"name": person}, "person": person},
    )


@login_required
@permission_required("stakeholders.merge_person", raise_exception=True)
def person_merge(request, pk):
    survivor = selectors.person_for_user(request.user, pk)
    form = MergeForm(request.POST or None, survivor=survivor, queryset=selectors.people_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        try:
            services.person_merge(survivor=survivor, duplicate=duplicate, actor=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("%(duplicate)s was merged into %(name)s.") % {"duplicate": duplicate, "name": survivor}
            )
            return redirect(survivor)
    return render(
        request,
        "stakeholders/person_form.html",
        {
            "form": form,
            "title": _("Merge a duplicate into %(name)s") % {"name": survivor},
            "person": survivor,
            "submit_label": _("Merge"),
        },
    )


@login_required
@permission_required("stakeholders.view_person", raise_exception=True)
def affiliation_add(request, pk):
    person = selectors.person_for_user(request.user, pk)
    if not selectors.can_edit_person(request.user, person):
        raise PermissionDenied
    form = AffiliationForm(request.POST or None, organizations=selectors.organizations_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Affiliation added."))
            return redirect(person)
    return render(
        request,
        "stakeholders/person_form.html",
        {"form": form, "title": _("Add an affiliation for %(name)s") % {"name": person}, "person": person},
    )


@login_required
@permission_required("stakeholders.view_person", raise_exception=True)
@require_POST
def affiliation_end(request, pk, affiliation_pk):
    person = selectors.person_for_user(request.user, pk)
    if not selectors.can_edit_person(request.user, person):
        raise PermissionDenied
    affiliation = get_object_or_404(person.affiliations.all(), pk=affiliation_pk)
    try:
        services.affiliation_end(actor=request.user, affiliation=affiliation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Affiliation ended."))
    return redirect(person)


@login_required
@permission_required("stakeholders.add_person", raise_exception=True)
def person_quick_add(request):
    """A small form that other forms load with htmx to add a missing person.

    On success it answers with an ``<option selected>`` for the new person; with
    ``?target=<select id>`` htmx appends it to that select (HX-Retarget), and an
    ``personAdded`` event carries the id and name for any script that listens.
    """
    target = request.GET.get("target", "")
    if target and not _TARGET_ID.match(target):
        raise Http404
    form = PersonQuickForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_quick_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("%(name)s added.") % {"name": person})
                return redirect(person)
            if target:
                response = render(request, "stakeholders/person_option.html", {"person": person})
                response["HX-Retarget"] = f"#{target}"
                response["HX-Reswap"] = "beforeend"
            else:
                response = render(
                    request,
                    "stakeholders/person_quick_add.html",
                    {"form": PersonQuickForm(), "target": target, "added": person},
                )
            response["HX-Trigger"] = json.dumps({"personAdded": {"id": person.pk, "name": str(person)}})
            return response
    return render(request, "stakeholders/person_quick_add.html", {"form": form, "target": target})


@login_required
@permission_required("stakeholders.view_person", raise_exception=True)
def person_search(request):
    """``<option>`` elements for the people matching ``q``, for search-as-you-type selects."""
    query = request.GET.get("q", "").strip()
    people = []
    if query:
        people = PeopleSearch(selectors.people_visible_to(request.user), query)[:SEARCH_RESULTS]
    return render(request, "stakeholders/person_search_options.html", {"people": people, "query": query})


# --- organizations ---------------------------------------------------------------


@login_required
@permission_required("stakeholders.view_organization", raise_exception=True)
def organization_list(request):
    organization_filter = OrganizationFilter(request.GET, queryset=selectors.organizations_visible_to(request.user))
    organizations = selectors.with_organization_list_columns(organization_filter.qs)
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_choice_labels(
        with_detail_urls(page.object_list, "stakeholders:organization_detail"), Organization._meta.get_field("kind")
    )
    template = "stakeholders/organization_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": organization_filter, "page": page})


@login_required
@permission_required("stakeholders.view_organization", raise_exception=True)
@logs_export("organizations")
def organization_export(request):
    organization_filter = OrganizationFilter(request.GET, queryset=selectors.organizations_list_for(request.user))
    header = [
        "name",
        "sector",
        "partner",
        "communities_served",
        "email",
        "phone",
        "address",
        "website",
        "neighborhoods",
        "languages",
        "tags",
    ]
    rows = (
        [
            organization.name,
            organization.kind,
            _yes_no(organization.is_partner),
            organization.communities_served,
            organization.email,
            organization.phone,
            organization.address,
            organization.website,
            "; ".join(n.name for n in organization.neighborhoods.all()),
            "; ".join(language.code for language in organization.languages.all()),
            "; ".join(tag.name for tag in organization.tags.all()),
        ]
        for organization in organization_filter.qs.iterator(chunk_size=500)
    )
    return _csv_response(f"organizations-{timezone.localdate():%Y-%m-%d}.csv", header, rows)


@login_required
@permission_required("stakeholders.view_organization", raise_exception=True)
def organization_detail(request, pk):
    organization = selectors.organization_for_user(request.user, pk)
    visible_people = selectors.people_visible_to(request.user)
    affiliations = organization.affiliations.filter(person__in=visible_people).select_related("person")
    return render(
        request,
        "stakeholders/organization_detail.html",
        {
            "organization": organization,
            "affiliations": affiliations,
            "can_edit": selectors.can_edit_organization(request.user, organization),
            "panels": panels_for("organization", request.user, organization.pk),
        },
    )


@login_required
@permission_required("stakeholders.view_organization", raise_exception=True)
def organization_member_add(request, pk):
    """Add a person to an organization; a missing person is added on the spot (quick-add)."""
    organization = selectors.organization_for_user(request.user, pk)
    if not selectors.can_edit_organization(request.user, organization):
        raise PermissionDenied
    form = OrganizationMemberForm(request.POST or None, people=selectors.people_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_add(actor=request.user, organization=organization, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s added to %(name)s.") % {"person": form.cleaned_data["person"], "name": organization},
            )
            return redirect(organization)
    return render(
        request,
        "stakeholders/organization_member_form.html",
        {"form": form, "organization": organization, "title": _("Add a person to %(name)s") % {"name": organization}},
    )


def _organization_service_kwargs(data: dict) -> dict:
    names = (
        "name",
        "kind",
        "is_partner",
        "communities_served",
        "email",
        "phone",
        "address",
        "website",
        "notes",
        "neighborhoods",
        "languages",
        "tags",
    )
    return {name: data[name] for name in names}


@login_required
@permission_required("stakeholders.add_organization", raise_exception=True)
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                actor=request.user, **_organization_service_kwargs(form.cleaned_data)
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": organization})
            return redirect(organization)
    return render(request, "stakeholders/organization_form.html", {"form": form, "title": _("New organization")})


@login_required
@permission_required("stakeholders.view_organization", raise_exception=True)
def organization_edit(request, pk):
    organization = selectors.organization_for_user(request.user, pk)
    if not selectors.can_edit_organization(request.user, organization):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                organization=organization, actor=request.user, **_organization_service_kwargs(form.cleaned_data)
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": organization})
            return redirect(organization)
    return render(
        request,
        "stakeholders/organization_form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": organization}, "organization": organization},
    )


# --- neighborhoods -----------------------------------------------------------------


@login_required
@permission_required("stakeholders.view_neighborhood", raise_exception=True)
def neighborhood_list(request):
    neighborhoods = selectors.neighborhoods_visible_to(request.user)
    return render(request, "stakeholders/neighborhood_list.html", {"neighborhoods": neighborhoods})


@login_required
@permission_required("stakeholders.add_neighborhood", raise_exception=True)
def neighborhood_create(request):
    return _neighborhood_form(request, None, _("New neighborhood"))


@login_required
@permission_required("stakeholders.change_neighborhood", raise_exception=True)
def neighborhood_edit(request, pk):
    neighborhood = selectors.neighborhood_for_user(request.user, pk)
    return _neighborhood_form(request, neighborhood, _("Edit %(name)s") % {"name": neighborhood})


def _neighborhood_form(request, neighborhood, title):
    form = NeighborhoodForm(request.POST or None, instance=neighborhood)
    if request.method == "POST" and form.is_valid():
        try:
            services.neighborhood_save(
                actor=request.user,
                neighborhood=neighborhood,
                name=form.cleaned_data["name"],
                council_district=form.cleaned_data["council_district"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Neighborhood saved."))
            return redirect("stakeholders:neighborhood_list")
    return render(request, "stakeholders/neighborhood_form.html", {"form": form, "title": title})


# --- import ------------------------------------------------------------------------

IMPORT_PERMISSIONS = {"people": "stakeholders.import_people", "organizations": "stakeholders.import_organizations"}
IMPORT_TITLES = {"people": gettext_lazy("Import people"), "organizations": gettext_lazy("Import organizations")}


def _import_permission(request, kind: str) -> None:
    if kind not in IMPORT_PERMISSIONS:
        raise Http404
    if not request.user.has_perm(IMPORT_PERMISSIONS[kind]):
        raise PermissionDenied


def _session_key(kind: str) -> str:
    return f"import-{kind}"


@login_required
def import_upload(request, kind):
    _import_permission(request, kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            importing.decode(content)
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            discard = request.session.get(_session_key(kind))
            if discard:
                importing.discard_upload(discard)
            request.session[_session_key(kind)] = importing.store_upload(content)
            return redirect("stakeholders:import_preview", kind=kind)
    return render(
        request,
        "stakeholders/import_upload.html",
        {"form": form, "kind": kind, "title": IMPORT_TITLES[kind], "columns": importing.IMPORTERS[kind].columns},
    )


@login_required
def import_template(request, kind):
    _import_permission(request, kind)
    response = HttpResponse(importing.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


@login_required
def import_preview(request, kind):
    """What confirming would do, row by row; on POST, write it all or nothing."""
    _import_permission(request, kind)
    token = request.session.get(_session_key(kind), "")
    content = importing.load_upload(token)
    if content is None:
        messages.info(request, _("Upload a file to import."))
        return redirect("stakeholders:import_upload", kind=kind)
    if request.method == "POST":
        try:
            result = importing.import_confirm(kind=kind, content=content, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            importing.discard_upload(token)
            del request.session[_session_key(kind)]
            messages.success(
                request,
                _("Import finished: %(created)s added, %(updated)s updated.") % result,
            )
            return redirect("stakeholders:person_list" if kind == "people" else "stakeholders:organization_list")
    preview = importing.import_preview(kind, content)
    return render(
        request,
        "stakeholders/import_preview.html",
        {"preview": preview, "kind": kind, "title": IMPORT_TITLES[kind]},
    )
