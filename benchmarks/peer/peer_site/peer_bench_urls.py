"""DjangoCRM's URLconf with ``/healthz/`` first, which the harness's ``Server`` polls until it answers."""

from django.http import HttpResponse
from django.urls import path
from webcrm.urls import urlpatterns as crm_urlpatterns


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("healthz/", healthz), *crm_urlpatterns]
