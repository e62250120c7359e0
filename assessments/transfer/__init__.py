"""Spreadsheet import and export: enterprise registry, applications, submissions, scheme items.

The column definitions live in ``assessments/resources.py`` (django-import-export resources);
this app holds the job model that tracks background work, the file checks, the services that
run imports and exports, the django-tasks tasks, and the pages under ``/transfer/``.
"""
