"""JSON typed by a person (the scheme editor), parsed with limits: size, nesting depth, NUL.

Python's parser recurses per nesting level, so deeply nested input raises RecursionError (a
server error); PostgreSQL cannot store ``\\u0000`` in JSON. :func:`loads_bounded` refuses all
three with a :class:`ValidationError` before anything is stored, and :class:`BoundedJSONField`
is the form field that uses it.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput, JSONString
from django.utils.translation import gettext_lazy as _

MAX_CHARS = 1_000_000
MAX_DEPTH = 32


def nesting_depth(text: str, stop_above: int | None = None) -> int:
    """The deepest nesting of arrays and objects in JSON ``text`` (brackets inside strings
    do not count): one pass, no recursion, stopping early once ``stop_above`` is passed."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    break
        elif char in "]}":
            depth -= 1
    return deepest


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def loads_bounded(text: str, *, max_chars: int = MAX_CHARS, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(text)``, or a ValidationError saying which limit the text breaks."""
    if len(text) > max_chars:
        raise ValidationError(
            _("The JSON is too long: %(length)s characters, at most %(max)s."),
            code="too_long",
            params={"length": len(text), "max": max_chars},
        )
    if nesting_depth(text, stop_above=max_depth) > max_depth:
        raise ValidationError(
            _("The JSON is nested too deeply: at most %(max)s levels."),
            code="too_deep",
            params={"max": max_depth},
        )
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError(
            _("This is not valid JSON: %(error)s"), code="invalid", params={"error": str(exc)}
        ) from None
    if _has_nul(value):
        raise ValidationError(
            _("The JSON contains a NUL character (\\u0000), which cannot be stored."),
            code="nul",
        )
    return value


class BoundedJSONField(forms.JSONField):
    """A JSON form field that parses with :func:`loads_bounded` (also when re-displaying)."""

    def to_python(self, value):
        if self.disabled or value in self.empty_values or not isinstance(value, str):
            return super().to_python(value)
        if isinstance(value, JSONString):
            return value
        converted = loads_bounded(value)
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        if self.disabled or not isinstance(data, str):
            return super().bound_data(data, initial)
        try:
            return loads_bounded(data)
        except ValidationError:
            return InvalidJSONInput(data)

    def has_changed(self, initial, data):
        try:
            return super().has_changed(initial, data)
        except ValidationError:
            return True
