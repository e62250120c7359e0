from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/actions/new/", views.action_new, name="action-new"),
    path("<int:pk>/plan.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<int:pk>/plan.pdf", views.export_pdf, name="export-pdf"),
    path("actions/<int:pk>/", views.action_edit, name="action-edit"),
]
