"""Spreadsheet import and export: enterprise registry, applications, submissions, scheme items.

Everything of import and export lives here: the django-import-export resources
(``resources/``, one module per thing moved), the file checks (``files.py``), the services that
run imports and exports (``enterprises.py``, ``applications.py``, ``schemes.py``), the job
services and their django-tasks tasks (``jobs.py``, ``tasks.py``), the pages under
``/transfer/`` (``urls.py``, ``views.py``), the commands (``management/commands/``) and the
benchmark (``benchmark.py``).
"""
