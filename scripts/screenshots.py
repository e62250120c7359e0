"""Screenshots of a firm's results page (desktop and phone) and of the first two PDF pages.

Rerun it whenever the results page or the report changes, against a portal with the demo data::

    DEBUG=1 DATA_DIR=/tmp/demo .venv/bin/python manage.py migrate
    DEBUG=1 DATA_DIR=/tmp/demo .venv/bin/python manage.py load_demo
    DEBUG=1 DATA_DIR=/tmp/demo .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000

It signs in as the demo firm, opens the results of its latest submission from the dashboard (or
``--submission PK``) as a user would, and downloads the PDF report through the page's link.
Needs Chromium (``/usr/bin/chromium``) and ``pdftoppm`` (poppler-utils). The images go to
``docs/screenshots/`` (``--out``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
MAX_HEIGHT = 2800  # px of a long page kept in a screenshot: its top, where the result is
ROOT = Path(__file__).resolve().parent.parent


def sign_in(page: Page, base: str, prefix: str, username: str, password: str) -> None:
    page.goto(f"{base}{prefix}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        sys.exit(f"Could not sign in as {username}: is the demo data loaded?")


def results_path(page: Page, base: str, prefix: str, submission: int | None) -> str:
    if submission is not None:
        return f"{prefix}/assessments/submissions/{submission}/"
    page.goto(f"{base}{prefix}/dashboard/")
    links = page.locator("main a[href*='/assessments/submissions/']")
    if links.count() == 0:
        sys.exit("The demo firm has no submitted self-assessment yet.")
    return links.first.get_attribute("href")


def shoot(page: Page, path: Path) -> None:
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    width = page.viewport_size["width"]
    page.screenshot(
        path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
    )
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="demo-company")
    parser.add_argument("--password", default="changeme")
    parser.add_argument("--submission", type=int, help="a submission of the firm (default: latest)")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.exit("pdftoppm is missing (Debian package poppler-utils).")
    base = args.base_url.rstrip("/")
    prefix = "/en" if args.lang == "en" else ""
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.lang == "zh" else "-en"

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        locale = "zh-CN" if args.lang == "zh" else "en-GB"
        context = browser.new_context(locale=locale, viewport=DESKTOP)
        page = context.new_page()
        sign_in(page, base, prefix, args.username, args.password)
        path = results_path(page, base, prefix, args.submission)
        page.goto(base + path)
        shoot(page, args.out / f"results-desktop{suffix}.png")
        page.set_viewport_size(PHONE)
        page.reload()
        shoot(page, args.out / f"results-mobile{suffix}.png")

        # The PDF in the page's language, through the report link the results page offers.
        pk = re.search(r"/submissions/(\d+)/", path).group(1)
        # A report still being prepared redirects to its status page: ask again a little later.
        for _attempt in range(30):
            pdf = page.request.get(
                f"{base}{prefix}/reports/{pk}/pdf/?lang={args.lang}", timeout=120_000
            )
            data = pdf.body() if pdf.ok else b""
            if data.startswith(b"%PDF"):
                break
            page.wait_for_timeout(2_000)
        else:
            sys.exit(f"The PDF report could not be downloaded (status {pdf.status}).")
        browser.close()

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.pdf"
        source.write_bytes(data)
        subprocess.run(  # noqa: S603 (fixed arguments, a file this script wrote)
            [pdftoppm, "-r", "70", "-png", "-f", "1", "-l", "2", str(source), f"{tmp}/page"],
            check=True,
        )
        for number, image in enumerate(sorted(Path(tmp).glob("page-*.png")), start=1):
            target = args.out / f"report-page-{number}{suffix}.png"
            shutil.copyfile(image, target)
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


if __name__ == "__main__":
    main()
