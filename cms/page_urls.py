"""Wagtail's front-end addresses, with its page view behind the shared cache of public pages
(``cms.views.serve``). Included by the portal in place of ``wagtail.urls``."""

from django.urls import re_path
from wagtail import urls as wagtail_urls

from cms import views

urlpatterns = [
    *[p for p in wagtail_urls.urlpatterns if getattr(p, "name", None) != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, views.serve, name="wagtail_serve"),
]
