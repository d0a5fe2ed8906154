"""URLs of ledgers in and out; the project includes them at ``/people/ledger/``."""

from django.urls import path

from grassroots.people import import_views as views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_home, name="home"),
    path("template/", views.template_download, name="template"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="progress"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="retry"),
    path("jobs/<int:pk>/report/", views.job_report, name="report"),
    path("export/residents/", views.export_residents, name="export-residents"),
    path("export/households/", views.export_households, name="export-households"),
]
