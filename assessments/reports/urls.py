from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("<int:pk>/status/", views.status, name="status"),
]
