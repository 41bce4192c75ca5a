from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/schedule/",
        views.schedule_page,
        name="schedule",
    ),
    path("studies/<str:registry_id>/calendar/", views.calendar_page, name="calendar"),
    path(
        "studies/<str:registry_id>/calendar/<int:year>/<int:month>/",
        views.calendar_month_page,
        name="calendar-month",
    ),
]
