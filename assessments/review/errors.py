"""Refusals of the review workflow; ``str(error)`` is a translated message for the user."""

from __future__ import annotations


class TransitionError(Exception):
    """A refused transition or certificate change."""


class TransitionNotAllowed(TransitionError):
    """The transition does not exist from the current state."""


class PermissionRefused(TransitionError):
    """The user may not make this transition on this application."""


class ConcurrentChange(TransitionError):
    """Someone else changed the application since the user loaded it."""
