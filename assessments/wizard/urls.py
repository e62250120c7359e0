from django.urls import path

from . import views

app_name = "wizard"

urlpatterns = [
    path("start/<slug:code>/", views.start, name="start"),
    path("schemes/<slug:code>/", views.intro, name="intro"),
    path("schemes/<slug:code>/questions.<str:fmt>", views.questions, name="questions"),
    path("<int:pk>/", views.resume, name="resume"),
    path("<int:pk>/step/<str:step>/", views.wizard_view, name="step"),
    path("<int:pk>/step/<str:step>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/convert/", views.convert, name="convert"),
    path("<int:pk>/restore/<str:token>/", views.restore, name="restore"),
    path("submissions/<int:pk>/", views.results_view, name="results"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
