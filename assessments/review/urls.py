"""The reviewers' workspace (mounted at /review/)."""

from django.urls import path

from assessments.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("assign/", views.bulk_assign, name="bulk-assign"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/items/", views.items, name="items"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/conflict/", views.conflict, name="conflict"),
    path("<int:pk>/materials/", views.materials, name="materials"),
    path("<int:pk>/files/<int:file_id>/", views.application_file, name="file"),
    path("<int:pk>/experts/", views.experts, name="experts"),
    path("<int:pk>/score/", views.expert_score, name="expert-score"),
    path("<int:pk>/consensus/", views.consensus, name="consensus"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/message/", views.message, name="message"),
    path(
        "<int:pk>/objections/<int:objection_id>/answer/",
        views.objection_answer,
        name="objection-answer",
    ),
    path(
        "<int:pk>/objections/<int:objection_id>/evidence/",
        views.objection_evidence,
        name="objection-evidence",
    ),
    path("<int:pk>/dossier/", views.dossier_zip, name="dossier"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("certificates/<int:pk>/status/", views.certificate_status, name="certificate-status"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate-pdf"),
]
