"""A formtools storage backend that keeps the wizard's state in ``Assessment.wizard_state``.

Nothing goes into the session: the state belongs to the draft, so any member of the enterprise
resumes it on any device. The storage only changes the model instance in memory; the wizard's
services write it with a revision check (see :func:`assessments.wizard.services.save_step`).
Evidence files are stored as :class:`~assessments.models.Evidence` rows, never as wizard files.
"""

from __future__ import annotations

from typing import Any

from formtools.wizard.storage.base import BaseStorage

from assessments.models import Assessment


class AssessmentStorage(BaseStorage):
    def __init__(self, prefix: str, request=None, file_storage=None, *,
                 assessment: Assessment) -> None:  # fmt: skip
        super().__init__(prefix, request, file_storage)
        self.assessment = assessment
        state = assessment.wizard_state
        if not isinstance(state, dict) or self.step_data_key not in state:
            self.init_data()
        if assessment.current_step and not self.data.get(self.step_key):
            self.data[self.step_key] = assessment.current_step

    def _get_data(self) -> dict[str, Any]:
        return self.assessment.wizard_state

    def _set_data(self, value: dict[str, Any]) -> None:
        self.assessment.wizard_state = value

    data = property(_get_data, _set_data)

    def _set_current_step(self, step: str | None) -> None:
        self.data[self.step_key] = step
        self.assessment.current_step = step or ""

    def set_step_files(self, step, files) -> None:
        # Evidence is handled by the wizard view and stored as Evidence rows.
        self.data[self.step_files_key].setdefault(step, {})

    def get_step_files(self, step):
        return None

    def reset(self) -> None:
        """Forget every step's data (only done when a draft is closed)."""
        self.init_data()
        self.assessment.current_step = ""

    def update_response(self, response):
        return None
