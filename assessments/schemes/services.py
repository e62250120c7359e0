"""Creating, versioning and publishing schemes. Published versions never change."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import engine
from assessments.models import Scheme, SchemeItem, SchemeSection, SchemeVersion

PUBLISH_PERMISSION = "assessments.publish_schemeversion"


def validate_definition(definition: dict[str, Any]) -> engine.Scheme:
    """Validate a definition with the engine; raise ValidationError with its message."""
    try:
        return engine.load_scheme(definition)
    except engine.SchemeError as exc:
        raise ValidationError(str(exc)) from exc


def _sync_projection(version: SchemeVersion, scheme: engine.Scheme) -> None:
    """Rebuild the browsable section/item rows from the definition."""
    version.items.all().delete()
    version.sections.all().delete()
    items: list[SchemeItem] = []
    for s_order, section in enumerate(scheme.sections):
        row = SchemeSection.objects.create(
            version=version,
            code=section.code,
            order=s_order,
            weight=section.weight,
            title_zh=section.title.zh,
            title_en=section.title.en or section.title.zh,
        )
        for item in section.items:
            items.append(
                SchemeItem(
                    version=version,
                    section=row,
                    code=item.code,
                    order=len(items),
                    type=item.type,
                    required=item.required,
                    max_points=item_max_points(item),
                    text_zh=item.text.zh,
                    text_en=item.text.en or item.text.zh,
                    help_zh=item.help.zh,
                    help_en=item.help.en,
                    recommendation_zh=item.recommendation.zh,
                    recommendation_en=item.recommendation.en,
                    options=[
                        {
                            "code": o.code,
                            "zh": o.label.zh,
                            "en": o.label.en,
                            "points": str(o.points) if o.points is not None else None,
                            "value": str(o.value) if o.value is not None else None,
                        }
                        for o in item.options
                    ],
                    bands=[{"bound": b.text, "points": str(b.points)} for b in item.bands],
                    expression=item.expression or "",
                )
            )
    SchemeItem.objects.bulk_create(items)


def item_max_points(item) -> Any:
    """The points an item can reach at most (None for weighted conformity items)."""
    if item.max is not None:
        return item.max
    candidates = [o.points for o in item.options if o.points is not None]
    candidates += [b.points for b in item.bands]
    if item.points is not None:
        candidates.append(item.points)
    return max(candidates) if candidates else None


@transaction.atomic
def create_version(
    definition: dict[str, Any],
    *,
    user=None,
    based_on: SchemeVersion | None = None,
    change_note: str = "",
    keep_version_number: bool = False,
) -> SchemeVersion:
    """Validate ``definition`` and store it as the next draft version of its scheme."""
    definition = copy.deepcopy(definition)
    parsed = validate_definition(definition)
    scheme, _created = Scheme.objects.get_or_create(
        code=parsed.code,
        defaults={"title_zh": parsed.title.zh, "title_en": parsed.title.en or parsed.title.zh},
    )
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    latest = scheme.versions.aggregate(n=Max("version"))["n"] or 0
    number = parsed.version if keep_version_number else latest + 1
    if scheme.versions.filter(version=number).exists():
        raise ValidationError(
            _("Version %(n)s of %(code)s already exists.") % {"n": number, "code": scheme.code}
        )
    definition["version"] = number
    parsed = validate_definition(definition)
    version = SchemeVersion.objects.create(
        scheme=scheme,
        version=number,
        definition=definition,
        title_zh=parsed.title.zh,
        title_en=parsed.title.en or parsed.title.zh,
        based_on=based_on,
        change_note=change_note,
        created_by=user,
    )
    _sync_projection(version, parsed)
    return version


def new_draft_from(version: SchemeVersion, *, user=None, change_note: str = "") -> SchemeVersion:
    """Editing a published version: copy it into the next draft version."""
    return create_version(version.definition, user=user, based_on=version, change_note=change_note)


@transaction.atomic
def update_draft(version: SchemeVersion, definition: dict[str, Any], *, user=None) -> SchemeVersion:
    version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != SchemeVersion.Status.DRAFT:
        raise ValidationError(
            _("A published scheme version cannot be changed; create a new version.")
        )
    definition = copy.deepcopy(definition)
    definition["version"] = version.version
    if definition.get("code") != version.scheme.code:
        raise ValidationError(_("The definition's code does not match the scheme."))
    parsed = validate_definition(definition)
    version.definition = definition
    version.title_zh = parsed.title.zh
    version.title_en = parsed.title.en or parsed.title.zh
    version.save()
    _sync_projection(version, parsed)
    return version


@transaction.atomic
def publish(version: SchemeVersion, *, user) -> SchemeVersion:
    """Publish a draft. Only moderators (and administrators) may publish."""
    if user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Only a moderator can publish a scheme version."))
    version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != SchemeVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    validate_definition(version.definition)
    version.status = SchemeVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


@transaction.atomic
def load_builtin_schemes() -> list[tuple[SchemeVersion, str]]:
    """Publish the shipped scheme files that are not in the database yet (idempotent).

    Every ``<code>.v<N>.json`` becomes published version N beside the versions already stored
    (``load_demo`` runs this on every start; tests load it through the factories).

    Returns (version, what happened) pairs: "created", "unchanged" or "differs" (a stored
    published version with the same number whose content differs is left untouched).
    """
    outcome = []
    for path in engine.builtin_scheme_files():
        definition = json.loads(Path(path).read_text(encoding="utf-8"))
        existing = SchemeVersion.objects.filter(
            scheme__code=definition["code"], version=definition["version"]
        ).first()
        if existing is None:
            version = publish(create_version(definition, keep_version_number=True), user=None)
            outcome.append((version, "created"))
        elif existing.definition == definition:
            outcome.append((existing, "unchanged"))
        else:
            outcome.append((existing, "differs"))
    return outcome
