"""Accessibility checks with axe-core (installed from the npm registry into node_modules)."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page, *, include_moderate: bool = False) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA rules, colour contrast included) on the current page."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run scripts/bootstrap.sh (npm ci)")
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline
    # scripts) does not apply, as it would to an injected <script> element.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    levels = BLOCKING | ({"moderate"} if include_moderate else set())
    return [v for v in result["violations"] if v["impact"] in levels]


def assert_accessible(page) -> None:
    """Fail with a readable list when axe finds serious or critical violations."""
    violations = axe_violations(page)
    if violations:
        lines = []
        for v in violations:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
            lines.append(f"{v['impact']}: {v['id']} — {v['help']} ({targets})")
        raise AssertionError(f"axe-core violations on {page.url}:\n" + "\n".join(lines))
