"""The firm's applications (mounted at /applications/)."""

from django.urls import path

from assessments.review import firm_views

app_name = "applications"

urlpatterns = [
    path("", firm_views.index, name="index"),
    path("apply/<int:programme_id>/", firm_views.apply, name="apply"),
    path("<int:pk>/", firm_views.detail, name="detail"),
    path("<int:pk>/resubmit/", firm_views.resubmit, name="resubmit"),
    path("<int:pk>/withdraw/", firm_views.withdraw, name="withdraw"),
    path("<int:pk>/reconsider/", firm_views.reconsider, name="reconsider"),
    path("certificates/<int:pk>/pdf/", firm_views.certificate_pdf, name="certificate-pdf"),
]
