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


class SafeguardRefused(TransitionError):
    """A decision safeguard (minimum level, quota) refused; a lead reviewer may override it.

    ``safeguards`` holds the :class:`~assessments.review.safeguards.Safeguard` refusals.
    """

    def __init__(self, message: str, safeguards=()) -> None:
        super().__init__(message)
        self.safeguards = tuple(safeguards)
