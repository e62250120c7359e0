"""After the load test: does every simulated user's draft hold exactly the answers it saved?

Usage (from the repository root, with the portal's environment)::

    python loadtest/check.py USERS.json SAVED.json

USERS.json is prepare.py's output (each step's variants and the answers they produce), SAVED.json
the locust users' log (the variant last saved per step). For every user the draft's ``answers``
must equal the union of the saved variants' answers — no lost update, no answer from another
user, nothing extra. Exit status 1 on any difference.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def normal(value):
    return json.loads(json.dumps(value, default=str))


def main(users_file: Path, saved_file: Path) -> int:
    import django

    django.setup()
    from assessments.models import Assessment

    users = {u["username"]: u for u in json.loads(users_file.read_text(encoding="utf-8"))}
    saved = json.loads(saved_file.read_text(encoding="utf-8"))
    drafts = Assessment.objects.in_bulk([entry["assessment"] for entry in saved.values()])
    problems = []
    steps_saved = 0
    for username, entry in sorted(saved.items()):
        account = users[username]
        expected: dict = {}
        for step, choice in entry["steps"].items():
            expected.update(account["steps"][step][choice]["expected"])
            steps_saved += 1
        actual = normal(drafts[entry["assessment"]].answers)
        if actual != normal(expected):
            diff = sorted(
                k for k in set(actual) | set(expected) if actual.get(k) != expected.get(k)
            )
            problems.append(f"{username}: draft {entry['assessment']} differs on {diff}")
    print(
        json.dumps(
            {
                "users_checked": len(saved),
                "steps_saved": steps_saved,
                "mismatches": len(problems),
            }
        )
    )
    for line in problems:
        print(line)
    return 1 if problems or not saved else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
