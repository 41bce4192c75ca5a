from django.urls import path

from followup import efficacy_views, views

app_name = "followup"

SUBJECT = "studies/<str:registry_id>/subjects/<uuid:pk>/schedule/"

urlpatterns = [
    path(SUBJECT, views.schedule_page, name="schedule"),
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/efficacy/",
        efficacy_views.efficacy_page,
        name="efficacy",
    ),
    path(f"{SUBJECT}visits/<uuid:visit_pk>/", views.visit_page, name="visit"),
    path(
        f"{SUBJECT}unscheduled/<uuid:token>/",
        views.unscheduled_add_page,
        name="unscheduled-add",
    ),
    path("studies/<str:registry_id>/calendar/", views.calendar_page, name="calendar"),
    path(
        "studies/<str:registry_id>/calendar/<int:year>/<int:month>/",
        views.calendar_month_page,
        name="calendar-month",
    ),
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/kinetics/",
        views.kinetics_page,
        name="kinetics",
    ),
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/kinetics/expansion.svg",
        views.kinetics_expansion_svg,
        name="kinetics-expansion-svg",
    ),
    path("studies/<str:registry_id>/swimmer/", views.swimmer_page, name="swimmer"),
    path("studies/<str:registry_id>/swimmer.svg", views.swimmer_svg, name="swimmer-svg"),
    path("studies/<str:registry_id>/deviations/", views.deviation_list_page, name="deviations"),
]
