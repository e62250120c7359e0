"""Locust users for the portal: read policies, search, and complete wizard steps.

Environment: ``LOADTEST_USERS`` (the JSON written by prepare.py) and ``LOADTEST_LOG`` (where
each simulated user's saved steps are written when the test stops, for check.py).

Each simulated user takes its own prepared account (its own enterprise and draft), signs in, then
mixes: the home page, the policy index (with a filter), a policy page, search, and a wizard step
(GET the step, POST one of its two prepared answer variants with the revision it was shown). A
POST that redirects counts as saved: the log keeps the variant last saved per step.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from pathlib import Path

from locust import HttpUser, between, events, task

USERS = json.loads(Path(os.environ["LOADTEST_USERS"]).read_text(encoding="utf-8"))
LOG = os.environ["LOADTEST_LOG"]
_next_account = itertools.count()
_saved: dict[str, dict] = {}
_lock = threading.Lock()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')
POLICY_LINK = re.compile(r'href="(/policies/[^"?#]+/)"')
RNG = random.SystemRandom()
QUERIES = ["知识产权", "专利", "示范企业", "商标 品牌", "知识产权 强市", "人才"]


class PortalUser(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        index = next(_next_account)
        if index >= len(USERS):
            raise RuntimeError(f"only {len(USERS)} prepared accounts; run prepare.py with more")
        self.account = USERS[index]
        self.saved: dict[str, int] = {}
        self.policy_links: list[str] = []
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": token,
            },
            name="/accounts/login/ POST",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.account['username']} could not sign in")

    def on_stop(self) -> None:
        with _lock:
            _saved[self.account["username"]] = {
                "assessment": self.account["assessment"],
                "steps": dict(self.saved),
            }

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def policy_index(self) -> None:
        params = RNG.choice([{}, {"sort": "oldest"}, {"validity": "valid"}, {"page": "2"}])
        response = self.client.get("/policies/", params=params, name="/policies/")
        if not self.policy_links:
            self.policy_links = sorted(set(POLICY_LINK.findall(response.text)))

    @task(4)
    def policy_page(self) -> None:
        if not self.policy_links:
            self.policy_index()
        if self.policy_links:
            self.client.get(RNG.choice(self.policy_links), name="/policies/<page>/")

    @task(3)
    def search(self) -> None:
        self.client.get("/search/", params={"q": RNG.choice(QUERIES)}, name="/search/")

    @task(5)
    def wizard_step(self) -> None:
        pk = self.account["assessment"]
        step = RNG.choice(sorted(self.account["steps"]))
        url = f"/assessments/{pk}/step/{step}/"
        page = self.client.get(url, name="/assessments/<id>/step/<step>/")
        token, revision = CSRF.search(page.text), REVISION.search(page.text)
        if page.status_code != 200 or not token or not revision:
            return
        choice = RNG.randrange(len(self.account["steps"][step]))
        data = dict(self.account["steps"][step][choice]["post"])
        data.update(
            {
                "csrfmiddlewaretoken": token.group(1),
                "wizard-current_step": step,
                "revision": revision.group(1),
                "wizard_action": "save",
            }
        )
        with self.client.post(
            url,
            data,
            name="/assessments/<id>/step/<step>/ POST",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                self.saved[step] = choice
                response.success()
            else:
                response.failure(f"step not saved: HTTP {response.status_code}")


@events.test_stop.add_listener
def write_log(environment, **kwargs) -> None:
    # on_stop has run for every user by now (locust stops users before test_stop).
    with _lock, open(LOG, "w", encoding="utf-8") as fh:
        json.dump(_saved, fh, ensure_ascii=False)
