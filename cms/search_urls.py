"""The search page, inside the language prefix (``/search/``, ``/en/search/``)."""

from django.urls import path

from cms import views

urlpatterns = [path("", views.search, name="search")]
