"""The reviewers' workspace (mounted at /review/)."""

from django.urls import path

from assessments.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/items/", views.items, name="items"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/conflict/", views.conflict, name="conflict"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("certificates/<int:pk>/status/", views.certificate_status, name="certificate-status"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate-pdf"),
]
