"""Sign the load test's accounts in once, before locust starts, and keep their cookies.

Usage (from the repository root)::

    python loadtest/signin.py BASE_URL USERS.json [RATE]

Each account of ``USERS.json`` (written by prepare.py) signs in through the portal's own sign-in
page (GET for the CSRF token, POST the form), at most ``RATE`` sign-ins a second (default 2):
password hashing costs about half a second of CPU each, so signing every simulated user in
within the first seconds of the run would queue every other request behind it. The cookies each
sign-in set (session and CSRF) are written back into ``USERS.json``; the locust users reuse them,
so the measured run holds no sign-in at all. Standard library only (it runs with any Python).
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # keep the 302 of a successful sign-in


def sign_in(base: str, username: str, password: str) -> dict[str, str]:
    """The cookies of a fresh session signed in as ``username`` (raises when it fails)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    url = base.rstrip("/") + "/accounts/login/"
    with opener.open(url, timeout=60) as page:
        token = CSRF.search(page.read().decode("utf-8")).group(1)
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
    try:
        opener.open(request, timeout=60)
        status = 200  # the form was shown again: the sign-in failed
    except urllib.error.HTTPError as exc:
        status = exc.code
    if status != 302:
        raise RuntimeError(f"{username} could not sign in (HTTP {status})")
    return {cookie.name: cookie.value for cookie in jar}


def main(base: str, path: Path, rate: float) -> None:
    accounts = json.loads(path.read_text(encoding="utf-8"))
    interval = 1 / rate
    start = time.monotonic()
    for n, account in enumerate(accounts):
        # Never faster than ``rate`` a second (slower when a sign-in itself takes longer).
        time.sleep(max(0.0, start + n * interval - time.monotonic()))
        account["cookies"] = sign_in(base, account["username"], account["password"])
    path.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    took = time.monotonic() - start
    print(f"{len(accounts)} accounts signed in in {took:.0f} s ({len(accounts) / took:.1f}/s)")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) == 4 else 2.0)
