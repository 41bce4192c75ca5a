from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/schedule/",
        views.schedule_page,
        name="schedule",
    ),
]
