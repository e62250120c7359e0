"""The import journey in Chromium.

* On the embedded default, as ``scripts/start.sh`` runs it: SQLite under a fresh ``DATA_DIR``,
  ``runserver`` and a ``db_worker`` task worker in their own processes. 5,000 rows are checked
  and imported in the background while the page's progress bar climbs to 100 % and another
  page is served meanwhile.
* With a queue the test drives by hand: progress, preview, problems, the valid rows only, at
  desktop and phone widths, with axe checks.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assessments.transfer import jobs
from assessments.transfer.models import TransferJob
from portal.accounts.models import Enterprise
from tests import factories
from tests.assessments.transfer.helpers import good_row, xlsx_bytes
from tests.e2e.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
ROWS = 5_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


@pytest.fixture
def embedded_portal(tmp_path):
    """A portal on a fresh embedded-default database: web server and task worker processes."""
    data = tmp_path / "data"
    env = {
        **os.environ,
        "DATA_DIR": str(data),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "database",
        "DEBUG": "1",
        "DJANGO_SUPERUSER_PASSWORD": factories.PASSWORD,
    }
    for key in ("DATABASE_URL", "CACHE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(key, None)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(
        env,
        "createsuperuser",
        "--noinput",
        "--username",
        "bureau",
        "--email",
        "bureau@example.com",
        "-v0",
    )
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    processes = [
        subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.5", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the portal did not start: " + (tmp_path / "server.log").read_text())
        yield url, data / "portal.sqlite3"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _watch(page, url: str, done_selector: str, on_running=None, timeout: float = 300) -> list[int]:
    """The progress bar's values while the job runs, until ``done_selector`` shows."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.locator(done_selector).count():
                value = page.evaluate("document.querySelector('progress')?.value")
                if value is not None:
                    seen.append(int(value))
                return seen
            value = page.evaluate("document.querySelector('progress')?.value")
            status = page.evaluate(
                "document.querySelector('[data-status-label]')?.textContent || ''"
            )
        except Exception:  # the page reloads itself when the job is done
            time.sleep(0.1)
            continue
        if value is not None:
            seen.append(int(value))
        if on_running is not None and value is not None and value < 100:
            on_running()
            on_running = None
        time.sleep(0.15)
    raise AssertionError(f"the job did not finish; progress seen: {seen}, status {status!r}")


def test_5000_rows_import_in_the_background_on_the_embedded_default(
    embedded_portal, new_context, tmp_path
):
    url, database = embedded_portal
    path = tmp_path / "registry.xlsx"
    path.write_bytes(xlsx_bytes([good_row(i) for i in range(ROWS)]))

    page = new_context(locale="en-GB").new_page()
    page.goto(url + "/en/accounts/login/")
    page.fill("input[name=username]", "bureau")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    page.goto(url + "/en/transfer/enterprises/import/")
    page.set_input_files("#id_file", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_selector("progress")
    # The upload's request returned at once: the check runs in the worker, not in the request.
    assert page.url.rstrip("/").split("/")[-2] == "jobs"
    status_url = page.url + "status/"
    served: list[tuple[int, bool, bool]] = []

    def another_request() -> None:
        """While the job runs, another page is served (and the job is still running after)."""
        before = page.request.get(status_url).json()["running"]
        response = page.request.get(url + "/en/transfer/")
        after = page.request.get(status_url).json()["running"]
        served.append((response.status, before, after))

    checked = _watch(page, url, "text=Preview of the valid rows", on_running=another_request)
    assert checked[-1] == 100 and min(checked) < 100, checked
    assert checked == sorted(checked), checked  # the bar never goes back
    assert served and served[0] == (200, True, True), served
    assert page.locator("text=Showing the first 20 rows of 5,000.").count() == 1

    page.click('form[action$="/confirm/"] button[type=submit]')
    page.wait_for_selector("progress")
    imported = _watch(page, url, "text=Invitation links for owners without an e-mail address")
    assert imported[-1] == 100 and min(imported) < 100, imported
    assert page.locator("text=Showing the first 200 links of 5,000").count() == 1
    with sqlite3.connect(database) as db:
        (count,) = db.execute("SELECT COUNT(*) FROM accounts_enterprise").fetchone()
        (invitations,) = db.execute("SELECT COUNT(*) FROM accounts_invitation").fetchone()
    assert count == ROWS and invitations == ROWS


@pytest.mark.parametrize("width", [1280, 375])
def test_import_with_progress_polling_and_valid_rows_only(
    page, live_server, login, settings, tmp_path, width
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page.set_viewport_size({"width": width, "height": 900})
    factories.reviewer(regions=["420000"], lead=True, username="lead-e2e")
    rows = [good_row(i) for i in range(6)]
    rows[3][2] = "999999"
    path = tmp_path / "registry.xlsx"
    path.write_bytes(xlsx_bytes(rows))

    login(page, "lead-e2e", factories.PASSWORD)
    page.goto(live_server.url + "/en/transfer/")
    assert_accessible(page)
    page.click("text=Upload a registry file")
    assert_accessible(page)
    page.set_input_files("#id_file", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_selector("progress")  # queued: the page polls the job
    job = TransferJob.objects.get()

    jobs.validate_import_job(str(job.pk))  # the worker checks the file; the page reloads itself
    page.wait_for_selector("text=Preview of the valid rows", timeout=15000)
    assert page.locator(".transfer-errors").inner_text().count("999999") == 1
    assert_accessible(page)
    # Nothing sticks out of a phone's screen: wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.check("#id_valid_only")
    page.click('form[action$="/confirm/"] button[type=submit]')
    page.wait_for_selector("[data-status-label]:has-text('Waiting to start')")

    jobs.import_enterprises_job(str(job.pk))
    page.wait_for_selector(
        "text=Invitation links for owners without an e-mail address", timeout=15000
    )
    assert Enterprise.objects.count() == 5
    assert page.locator("input[readonly]").count() == 5
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
