from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..filters.accounts import UserFilter
from ..forms.accounts import UserForm
from ..forms.base import add_service_errors
from ..rows import with_detail_urls
from ..selectors.accounts import user_for_user, users_visible_to, with_list_columns
from ..services import accounts as services

PAGE_SIZE = 50


@require_safe
@login_required
@permission_required("stakeholders.view_user", raise_exception=True)
def user_list(request):
    user_filter = UserFilter(request.GET, queryset=users_visible_to(request.user))
    page = Paginator(with_list_columns(user_filter.qs), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_detail_urls(page.object_list, "stakeholders:user_edit")
    template = "stakeholders/user_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": user_filter, "page": page})


@login_required
@permission_required("stakeholders.add_user", raise_exception=True)
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("User %(name)s created. They have been emailed a link to choose a password.") % {"name": user},
            )
            return redirect("stakeholders:user_list")
    return render(request, "stakeholders/user_form.html", {"form": form, "title": _("New user")})


@login_required
@permission_required("stakeholders.change_user", raise_exception=True)
def user_edit(request, pk):
    user = user_for_user(request.user, pk)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        if user == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate your own account. Ask another admin."))
        else:
            try:
                services.user_update(
                    user=user,
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    roles=form.cleaned_data["roles"],
                    is_active=form.cleaned_data["is_active"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Changes to %(name)s saved.") % {"name": user})
                return redirect("stakeholders:user_list")
    return render(
        request, "stakeholders/user_form.html", {"form": form, "title": _("Edit user %(name)s") % {"name": user}}
    )
