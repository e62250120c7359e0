"""Programmes, applications, review workflow, decisions and certificates (issue 7)."""
