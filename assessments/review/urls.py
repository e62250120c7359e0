# Before editing: read /work/TEAM_BRIEF.md (team rules: commit only your own paths with
# `git commit -- <paths>`, never `git add -A`; existing fixtures; stop and report by 21:50 UTC).
from django.urls import path  # noqa: F401

app_name = "review"

urlpatterns: list = []
