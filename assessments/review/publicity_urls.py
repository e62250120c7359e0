"""The public notice (mounted at /publicity/)."""

from django.urls import path

from assessments.review import publicity_views

app_name = "publicity"

urlpatterns = [
    path("", publicity_views.index, name="index"),
    path("<int:pk>/", publicity_views.detail, name="detail"),
]
