"""Create the load test's company users and write what each will post.

Usage (from the repository root, with the portal's environment)::

    python loadtest/prepare.py USERS OUT.json

For each simulated user: an account (``load-NNN``), its own enterprise and an open ip-enterprise
draft, and two answer variants. For every wizard step with fields, the file holds the POST data
of each variant and the answers (engine format) the draft must hold after that variant was
saved — computed with the wizard's own step form, so the check compares like with like.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

PASSWORD = "Load-test-pass-2026"  # noqa: S105 (throw-away accounts of a throw-away database)


def credit_code(n: int) -> str:
    from portal.accounts.credit_code import code_check_character, org_check_character

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = ""
    for _ in range(8):
        n, r = divmod(n, 31)
        body = alphabet[r] + body
    body = ("LT" + body)[-8:]
    head = "91420900" + body + org_check_character(body)
    return head + code_check_character(head)


def variant(base: dict, rng: random.Random) -> dict:
    """The base answer set with its whole-number figures changed (within sensible ranges)."""
    out = dict(base)
    for key, value in base.items():
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = max(0, value + rng.randint(-value // 2 if value else 0, 5))
    if "core_staff_trained_pct" in out:
        out["core_staff_trained_pct"] = rng.randint(0, 100)
    return out


def main(count: int, out: Path) -> None:
    import django

    django.setup()
    from django.db import transaction

    from assessments.reports.benchmark import IP_ENTERPRISE_ANSWERS
    from assessments.schemes.selectors import get_version
    from assessments.wizard.forms import StepForm, raw_from_answer
    from assessments.wizard.services import plan_for, start_assessment
    from portal.accounts.models import Enterprise, Region, User
    from portal.accounts.services import add_member

    version = get_version("ip-enterprise")
    region = Region.objects.get(code="420900")
    rng = random.SystemRandom()
    users = []
    with transaction.atomic():
        for i in range(count):
            username = f"load-{i:03d}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username, f"{username}@example.invalid", PASSWORD)
                enterprise = Enterprise.objects.create(
                    name=f"压测企业{i:03d}有限公司",
                    credit_code=credit_code(100_000 + i),
                    region=region,
                    industry="C",
                    size="small",
                    founded_on="2015-01-01",
                    contact_name="压测",
                    contact_phone="13900000000",
                )
                add_member(user, enterprise, "owner")
            enterprise = user.membership.enterprise
            draft, _ = start_assessment(enterprise=enterprise, version=version, user=user)
            plan = plan_for(draft)
            variants = [variant(IP_ENTERPRISE_ANSWERS, rng) for _ in range(2)]
            steps = {}
            for spec in plan.steps:
                if not spec.fields:
                    continue
                entries = []
                for answers in variants:
                    post = {}
                    for field in spec.fields:
                        if field.key in answers:
                            values = raw_from_answer(field, answers[field.key])
                            name = f"{spec.key}-{field.key}"
                            post[name] = values if field.kind == "multi" else values[0]
                    form = StepForm(post, prefix=spec.key, step=spec, lang="zh",
                                    context_answers=answers)  # fmt: skip
                    expected = json.loads(json.dumps(form.valid_answers(), default=str))
                    entries.append({"post": post, "expected": expected})
                steps[spec.key] = entries
            users.append(
                {
                    "username": username,
                    "password": PASSWORD,
                    "assessment": draft.pk,
                    "steps": steps,
                }
            )
    out.write_text(json.dumps(users, ensure_ascii=False), encoding="utf-8")
    print(f"prepared {len(users)} users in {out}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
