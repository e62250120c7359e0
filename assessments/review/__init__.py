"""Programmes, applications, review workflow, decisions and certificates."""
