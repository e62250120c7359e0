"""Who may do what with an improvement plan (docs/plans.md).

* Only members of the plan's enterprise see it, its actions and its exports (404 for everyone
  else, reviewers and administrators included: a plan is the firm's own working paper).
* Every member may start the plan, add actions and export it.
* The enterprise's owners may change every action; other members may change the actions they
  created or that are assigned to them (anyone else gets 403 with a reason).
* An action's owner must be a member of the enterprise.
"""

from __future__ import annotations

from portal.accounts.models import Membership

from .models import Action


def can_edit(membership: Membership, action: Action) -> bool:
    """Whether the member may change ``action`` (title, owner, due date, status, notes)."""
    if membership.enterprise_id != action.plan.enterprise_id:
        return False
    if membership.is_owner:
        return True
    return membership.user_id in (action.owner_id, action.created_by_id)
