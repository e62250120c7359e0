"""Locust users for the portal: read policies, search, and complete wizard steps.

Environment: ``LOADTEST_USERS`` (the JSON written by prepare.py, with the session cookies
signin.py added), ``LOADTEST_LOG`` (where each simulated user's saved steps are written when the
test stops, for check.py) and ``LOADTEST_REQUESTS`` (every request's start time, name, response
time and outcome, one JSON array per line, for summary.py).

Each simulated user takes its own prepared account (its own enterprise and draft), already
signed in by signin.py (it reuses that session: no password is hashed during the run), then
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
REQUESTS = os.environ["LOADTEST_REQUESTS"]
_next_account = itertools.count()
_saved: dict[str, dict] = {}
_lock = threading.Lock()
# (start time, name, response time in ms, failed) of every request, for summary.py
_requests: list[tuple[float, str, float, bool]] = []

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
        if "cookies" not in self.account:
            raise RuntimeError("no session cookies in LOADTEST_USERS: run signin.py first")
        for name, value in self.account["cookies"].items():
            self.client.cookies.set(name, value)

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


@events.request.add_listener
def record(request_type, name, response_time, exception=None, start_time=None, **kwargs) -> None:
    _requests.append((start_time or 0.0, f"{request_type} {name}", response_time, bool(exception)))


@events.test_stop.add_listener
def write_log(environment, **kwargs) -> None:
    # on_stop has run for every user by now (locust stops users before test_stop).
    with _lock, open(LOG, "w", encoding="utf-8") as fh:
        json.dump(_saved, fh, ensure_ascii=False)
    with open(REQUESTS, "w", encoding="utf-8") as fh:
        for row in _requests:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
