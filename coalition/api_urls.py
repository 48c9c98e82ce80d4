"""The REST API under /api/v1/: each app's endpoints, the OpenAPI schema and its docs page.

This is a project-level file, so it may import every app; each app serves its own
endpoints (``stakeholders.api``, ``coalition.api``, ``engagements.api``).
"""

from django.urls import include, path, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from coalition import api as coalition_api
from engagements import api as engagements_api
from stakeholders.api import government as government_api
from stakeholders.api import people as people_api
from stakeholders.api import relationships as relationships_api
from stakeholders.api import schema  # noqa: F401  (registers the schema's extensions)
from stakeholders.api import stipends as stipends_api

app_name = "api"


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI (vendored by drf-spectacular-sidecar, no CDN) inside the site's own page."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None:
            response.data.update(profile_url=reverse("stakeholders:profile"), schema_url=reverse("api:schema"))
        return response


router = DefaultRouter()
router.include_format_suffixes = False  # JSON only: one address per endpoint
# --- stakeholders: people and organizations ---------------------------------------------------
router.register("people", people_api.PersonViewSet, basename="person")
router.register("organizations", people_api.OrganizationViewSet, basename="organization")
# --- stakeholders: government structure and relationships -------------------------------------
router.register("departments", government_api.DepartmentViewSet, basename="department")
router.register("positions", government_api.PositionViewSet, basename="position")
router.register("tenures", government_api.TenureViewSet, basename="tenure")
router.register("elections", government_api.ElectionViewSet, basename="election")
router.register("relationships", relationships_api.RelationshipViewSet, basename="relationship")
# --- stakeholders: stipend payments -----------------------------------------------------------
router.register("stipend-payments", stipends_api.StipendPaymentViewSet, basename="stipend-payment")
# --- coalition --------------------------------------------------------------------------------
router.register("coalitions", coalition_api.CoalitionViewSet, basename="coalition")
# --- engagements: engagements, commitments, follow-ups ----------------------------------------
router.register("engagements", engagements_api.EngagementViewSet, basename="engagement")
router.register("commitments", engagements_api.CommitmentViewSet, basename="commitment")
router.register("follow-ups", engagements_api.FollowUpViewSet, basename="followup")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema", template_name="api/docs.html"), name="docs"),
    path("", include(router.urls)),
]
