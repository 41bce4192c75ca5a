from django.urls import path

from adverse_events import views

app_name = "adverse_events"

urlpatterns = [
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/safety/",
        views.safety_page,
        name="safety",
    ),
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/safety/episodes/<uuid:episode_pk>/",
        views.episode_page,
        name="episode",
    ),
    path("studies/<str:registry_id>/saes/", views.sae_dashboard, name="sae-dashboard"),
    path(
        "studies/<str:registry_id>/safety-contacts/",
        views.safety_contacts,
        name="safety-contacts",
    ),
]
