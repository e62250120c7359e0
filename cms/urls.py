"""Site-wide CMS addresses outside the language prefix: the sitemap and robots.txt."""

from django.urls import path

from cms import views

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
