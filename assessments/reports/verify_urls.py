from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_home, name="home"),
    path("<str:code>/", views.verify_detail, name="detail"),
]
