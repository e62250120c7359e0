"""Self-assessment wizard (issue 5).

IMPORTANT for whoever works here: read /work/TEAM_BRIEF.md first (team rules: which files are
yours, commit only your own paths with `git commit -- <paths>`, never `git add -A`, stop and
report by 21:50 UTC, fixtures and helpers that already exist).
"""
