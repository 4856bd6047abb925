"""Run axe-core (installed by npm into node_modules) on a Playwright page."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN = """async (selector) => {
  const results = await axe.run(selector ? document.querySelector(selector) : document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" "))}));
}"""


def serious_violations(page, selector: str | None = None) -> list[dict]:
    """axe's serious and critical violations on the page (or inside `selector`).

    The script goes in through the DevTools protocol, which the page's CSP does not
    govern, so pages are checked with their real policy in force.
    """
    page.evaluate(AXE.read_text())
    violations = page.evaluate(RUN, selector)
    return [v for v in violations if v["impact"] in ("serious", "critical")]
