"""/api/v1/: the read API, its OpenAPI schema and its Swagger page (served in two responses, so
the page needs no inline script under the Content-Security-Policy)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from edc.api import queries, schema, views  # noqa: F401  (schema: the token's OpenAPI extension)
from edc.api.resources import registered_resources

STUDY = r"studies/(?P<registry_id>[^/]+)"

router = SimpleRouter()
router.register("studies", views.StudyViewSet, basename="study")
router.register(f"{STUDY}/subjects", views.SubjectViewSet, basename="subject")
router.register(f"{STUDY}/crfs", views.CrfViewSet, basename="crf")
router.register(
    rf"{STUDY}/crfs/(?P<crf_code>[a-z0-9_]+)/rows", views.CrfRowViewSet, basename="crf-row"
)
router.register(f"{STUDY}/audit-trail", views.AuditTrailViewSet, basename="audit-trail")
router.register(f"{STUDY}/queries", queries.QueryViewSet, basename="query")
router.register(f"{STUDY}/dataset-exports", views.DatasetExportViewSet, basename="dataset-export")
for resource in registered_resources():
    router.register(
        f"{STUDY}/{resource.path}", views.resource_viewset(resource), basename=resource.path
    )

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="edc/api_docs.html"
            )
        ),
        name="docs",
    ),
    path("", include(router.urls)),
]
