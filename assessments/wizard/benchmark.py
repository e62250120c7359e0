"""Benchmark (not a test) of the wizard for ``manage.py bench``: a step (GET, and POST "next"
with valid answers) and a results page, as the owner of a bench enterprise created for the
purpose inside a transaction that is rolled back, so the database is left as it was."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.db import transaction
from django.test import Client

from assessments import engine
from assessments.models import Submission
from assessments.samples import IP_ENTERPRISE_SAMPLE
from assessments.schemes.selectors import get_version
from assessments.wizard.forms import raw_from_answer
from assessments.wizard.services import plan_for, start_assessment, submit
from portal.accounts.credit_code import code_check_character, org_check_character
from portal.accounts.models import Enterprise, Region, User
from portal.accounts.services import add_member
from portal.core.benchmarks import Figure, Rollback, measure, page_figures, web_settings

# Budgets: about 4x the median time and 1.5x the queries measured on the machine described in
# docs/performance.md.
BUDGETS = {  # page: (milliseconds, queries)
    "wizard_step_get": (80, 15),
    "wizard_step_post": (100, 15),
    "results_page": (120, 20),
}


def _bench_credit_code() -> str:
    """A credit code with valid check characters that no enterprise uses yet."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        body = "".join(random.choice(alphabet) for _ in range(8))
        head = "91420900" + body + org_check_character(body)
        code = head + code_check_character(head)
        if not Enterprise.objects.filter(credit_code=code).exists():
            return code


def wizard_benchmark(quick: bool = False) -> list[Figure]:
    repeat = 5 if quick else 20
    version = get_version("ip-enterprise")
    figures: list[Figure] = []
    try:
        with web_settings(), transaction.atomic():
            tag = uuid.uuid4().hex[:8]
            user = User.objects.create_user(f"bench-{tag}", f"bench-{tag}@example.invalid")
            enterprise = Enterprise.objects.create(
                name=f"基准测试企业{tag}",
                credit_code=_bench_credit_code(),
                region=Region.objects.filter(code="420900").first() or Region.objects.first(),
                industry="C",
                size="small",
                contact_name="基准",
                contact_phone="13900000000",
                founded_on=dt.date(2015, 1, 1),
            )
            add_member(user, enterprise, "owner")
            draft, _created = start_assessment(enterprise=enterprise, version=version, user=user)
            plan = plan_for(draft)
            spec = next(s for s in plan.steps if s.fields)
            client = Client()
            client.force_login(user)
            url = f"/assessments/{draft.pk}/step/{spec.key}/"

            def post():
                draft.refresh_from_db(fields=["revision"])
                data = {"wizard-current_step": spec.key, "revision": str(draft.revision)}
                for field in spec.fields:
                    if field.key in IP_ENTERPRISE_SAMPLE:
                        values = raw_from_answer(field, IP_ENTERPRISE_SAMPLE[field.key])
                        key = f"{spec.key}-{field.key}"
                        data[key] = values if field.kind == "multi" else values[0]
                return client.post(url, data)

            figures += page_figures(
                "wizard_step_get",
                measure(lambda: client.get(url), repeat, (200,)),
                *BUDGETS["wizard_step_get"],
            )
            figures += page_figures(
                "wizard_step_post", measure(post, repeat, (302,)), *BUDGETS["wizard_step_post"]
            )

            # A complete answer set, submitted through the service, for the results page.
            answers = dict(IP_ENTERPRISE_SAMPLE)
            engine.validate_answers(version.engine_scheme, answers)
            type(draft).objects.filter(pk=draft.pk).update(answers=answers)
            submission: Submission = submit(
                draft.pk, enterprise=enterprise, user=user, language="zh-hans"
            )
            results = f"/assessments/submissions/{submission.pk}/"
            figures += page_figures(
                "results_page",
                measure(lambda: client.get(results), repeat, (200,)),
                *BUDGETS["results_page"],
            )
            raise Rollback
    except Rollback:
        pass
    return figures
