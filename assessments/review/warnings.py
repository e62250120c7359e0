"""The plausibility warnings of an application's submission, with the firm's explanations.

The codes come from the stored result (``submission.result["warnings"]``). The firm explains a
warning in the wizard; :func:`firm_explanations` is the hook that reads those explanations.
"""

from __future__ import annotations

from typing import Any

from assessments.models import Submission
from assessments.presentation.review_warnings import WarningRow, warning_rows


def warning_codes(submission: Submission) -> list[dict[str, Any]]:
    """The stored warnings of a submission: ``[{"code": "W2", "items": [...]}, ...]``."""
    return list((submission.result or {}).get("warnings") or ())


def firm_explanations(submission: Submission) -> dict[str, str]:
    """HOOK: the firm's explanation of each warning of ``submission`` (code → text).

    The wizard stores the explanations; once its selector
    ``warnings_of(submission)`` is available, read them from it here. Until then there are
    none, and the review pages say that the firm gave no explanation.
    """
    return {}


def rows_for(submission: Submission, lang: str) -> list[WarningRow]:
    scheme = submission.scheme_version.engine_scheme
    return warning_rows(scheme, warning_codes(submission), lang, firm_explanations(submission))
