from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/eligibility/",
        views.eligibility_page,
        name="eligibility",
    ),
    path(
        "studies/<str:registry_id>/subjects/<uuid:pk>/eligibility/<uuid:decision>/verify/",
        views.eligibility_verify,
        name="eligibility-verify",
    ),
    path(
        "studies/<str:registry_id>/screening-log/",
        views.screening_log_page,
        name="screening-log",
    ),
]
