from django.urls import path

from dosing import views

app_name = "dosing"

urlpatterns = [
    path("studies/<str:registry_id>/escalation/", views.escalation_dashboard, name="escalation"),
]
