"""Why an enterprise waits for a reviewer's verification: the reason records and their words.

A reason is a small dict stored in ``Enterprise.verification_reasons`` (``{"code": …}`` plus
what the reviewer needs to see); the queue at ``/accounts/verifications/`` and the firm's
dashboard show :func:`describe` of each.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

CODE_CHECK = "code_check"
REGION_UNKNOWN = "region_unknown"
REGION_MISMATCH = "region_mismatch"
CODE_CHANGED = "code_changed"


def reason(code: str, **detail: str) -> dict[str, str]:
    return {"code": code, **{k: str(v) for k, v in detail.items()}}


def describe(item: dict) -> str:
    code = item.get("code")
    if code == CODE_CHECK:
        return _(
            "The credit code fails the check-character test; the registrant declared it genuine."
        )
    if code == REGION_UNKNOWN:
        return _(
            "The region digits %(division)s of the credit code are not in the list of "
            "administrative divisions (perhaps a division since abolished, renamed or newly "
            "created); the registrant declared the code genuine."
        ) % {"division": item.get("division", "")}
    if code == REGION_MISMATCH:
        return _(
            "The region chosen (%(region)s) differs from the region of the credit code "
            "(%(division)s %(division_name)s)."
        ) % {
            "region": item.get("region_name") or item.get("region", ""),
            "division": item.get("division", ""),
            "division_name": item.get("division_name", ""),
        }
    if code == CODE_CHANGED:
        return _("The credit code was changed on the profile (it was %(old)s).") % {
            "old": item.get("old", "")
        }
    return str(code)


def describe_all(items: list[dict] | None) -> list[str]:
    return [describe(item) for item in items or [] if isinstance(item, dict)]
