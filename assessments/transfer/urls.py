"""Import and export pages, mounted at /transfer/ (administrators and lead reviewers)."""

from django.urls import path

from assessments.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.index, name="index"),
    path("enterprises/import/", views.import_enterprises, name="import-enterprises"),
    path("enterprises/template/", views.enterprise_template, name="enterprise-template"),
    path("enterprises/export/", views.export_enterprises, name="export-enterprises"),
    path("applications/export/", views.export_applications, name="export-applications"),
    path("submissions/export/", views.export_submissions, name="export-submissions"),
    path("dossiers/export/", views.export_dossiers, name="export-dossiers"),
    path("schemes/", views.schemes, name="schemes"),
    path("schemes/<int:pk>/export/", views.scheme_export, name="scheme-export"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/status/", views.job_status, name="job-status"),
    path("jobs/<uuid:job_id>/confirm/", views.job_confirm, name="job-confirm"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry, name="job-retry"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job-download"),
    path("jobs/<uuid:job_id>/report/", views.job_report, name="job-report"),
]
