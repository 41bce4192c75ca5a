from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from edc import (
    account_views,
    crf_views,
    dataset_views,
    lock_views,
    monitoring_views,
    query_views,
    review_views,
    views,
)

app_patterns = (
    [
        path("", views.study_list, name="study-list"),
        path("favicon.ico", views.favicon, name="favicon"),
        path("preferences/language/", views.language_set, name="language-set"),
        path("access-log/", account_views.access_log_page, name="access-log"),
        path("account/tasks/", account_views.my_tasks, name="my-tasks"),
        path(
            "account/notifications/",
            account_views.notification_settings,
            name="notification-settings",
        ),
        path("account/api-tokens/", account_views.api_tokens, name="api-tokens"),
        path(
            "account/api-tokens/<uuid:pk>/revoke/",
            account_views.api_token_revoke_view,
            name="api-token-revoke",
        ),
        path("access-log.csv", account_views.access_log_csv, name="access-log-csv"),
        path("account/two-factor/enrol/", account_views.two_factor_enrol, name="two-factor-enrol"),
        path(
            "account/two-factor/verify/", account_views.two_factor_verify, name="two-factor-verify"
        ),
        path("studies/<str:registry_id>/", views.study_home, name="study-home"),
        path("studies/<str:registry_id>/subjects/", views.subject_list, name="subject-list"),
        path("studies/<str:registry_id>/dashboard/", views.study_dashboard, name="dashboard"),
        path("studies/<str:registry_id>/datasets/", dataset_views.dataset_list, name="datasets"),
        path(
            "studies/<str:registry_id>/datasets/<uuid:pk>/download/",
            dataset_views.dataset_download,
            name="dataset-download",
        ),
        path("studies/<str:registry_id>/locks/", lock_views.data_locks, name="data-locks"),
        path(
            "studies/<str:registry_id>/locks/<uuid:pk>/unlock/",
            lock_views.data_unlock_page,
            name="data-unlock",
        ),
        path(
            "studies/<str:registry_id>/subjects/register/",
            views.subject_register_view,
            name="subject-register",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/",
            views.subject_detail,
            name="subject-detail",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/correct/",
            views.subject_correct_view,
            name="subject-correct",
        ),
        path(
            "studies/<str:registry_id>/audit-trail/",
            views.audit_trail_browser,
            name="audit-trail",
        ),
        path(
            "studies/<str:registry_id>/audit-trail.csv",
            views.audit_trail_csv,
            name="audit-trail-csv",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/casebook.pdf",
            views.subject_casebook_pdf,
            name="subject-casebook-pdf",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/history/",
            views.subject_history,
            name="subject-history",
        ),
        path("studies/<str:registry_id>/queries/", query_views.query_list, name="query-list"),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/queries/",
            query_views.subject_queries,
            name="subject-queries",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/queries/<uuid:query_pk>/",
            query_views.query_detail,
            name="query-detail",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/visits/<str:visit_code>/<str:crf_code>/"
            "raise-query/",
            query_views.query_raise_page,
            name="query-raise",
        ),
        path("studies/<str:registry_id>/sdv/", review_views.sdv_worklist, name="sdv-worklist"),
        path(
            "studies/<str:registry_id>/monitoring/", monitoring_views.monitoring, name="monitoring"
        ),
        path(
            "studies/<str:registry_id>/sdv/progress/",
            review_views.sdv_progress_page,
            name="sdv-progress",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/visits/<str:visit_code>/<str:crf_code>/"
            "<uuid:row>/verify/",
            review_views.crf_verify,
            name="crf-verify",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/sign/",
            review_views.sign_page,
            name="sign-casebook",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/sign/visit/<str:visit_code>/",
            review_views.sign_page,
            name="sign-visit",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/sign/form/<str:visit_code>/"
            "<str:crf_code>/<uuid:row>/",
            review_views.sign_page,
            name="sign-form",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/visits/<str:visit_code>/<str:crf_code>/",
            crf_views.crf_page,
            name="crf",
        ),
        path(
            "studies/<str:registry_id>/subjects/<uuid:pk>/visits/<str:visit_code>/<str:crf_code>/"
            "<str:row>/",
            crf_views.crf_row_page,
            name="crf-row",
        ),
    ],
    "edc",
)

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("edc.api.urls")),
    path("", include(app_patterns)),
    path("", include("screening.urls")),
    path("", include("dosing.urls")),
    path("", include("adverse_events.urls")),
    path("", include("followup.urls")),
]
