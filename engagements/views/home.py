from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
@login_required
def home(request):
    """The signed-in user's home page."""
    return render(request, "engagements/home.html", {"roles": sorted(request.user.role_names)})
