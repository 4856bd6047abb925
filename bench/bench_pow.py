"""Proof-of-work benchmark: how long a browser takes to solve Tribuna's ALTCHA challenge.

Serves a throwaway Tribuna with its default proof-of-work settings (or --cost / --max-number),
opens one of its pages in headless Chromium, and has the vendored widget solve --samples fresh
challenges one after another, timing each from the request for a challenge to the solution.
It runs once at full speed and once with Chromium's CPU throttled --throttle times (what
Lighthouse uses to stand in for a mid-range phone), each with one worker, as on a phone's single
fast core, so the figures are an upper bound. Prints figures; asserts nothing about time.

    .venv/bin/python bench/bench_pow.py [--samples 30] [--throttle 4] [--cost N] [--max-number N]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lib  # noqa: E402

SOLVE = """async ([samples, workers]) => {
  await import("/altcha.js");
  globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker("/altcha-worker.js"));
  const times = [];
  for (let i = 0; i < samples; i++) {
    const widget = document.createElement("altcha-widget");
    widget.setAttribute("challenge", "/api/v1/pow-challenge");
    widget.setAttribute("display", "invisible");
    widget.setAttribute("workers", String(workers));
    widget.setAttribute("configuration", JSON.stringify({ minDuration: 0 }));
    document.body.append(widget);
    await new Promise((resolve) => setTimeout(resolve)); // the element sets itself up after connecting
    const start = performance.now();
    const result = await widget.verify();
    if (!result || !result.payload) throw new Error("no solution");
    times.push(performance.now() - start);
    widget.remove();
  }
  return times;
}"""


def measure(browser, url: str, samples: int, throttle: float) -> list[float]:
    page = browser.new_page()
    if throttle > 1:
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(url)
    times = page.evaluate(SOLVE, [samples, 1])
    page.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=30, help="Challenges solved per run (default 30).")
    parser.add_argument(
        "--throttle", type=float, default=4.0, help="CPU slow-down for the phone run (default 4)."
    )
    parser.add_argument("--cost", help="TRIBUNA_POW_COST to serve (default: the settings' default).")
    parser.add_argument(
        "--max-number", help="TRIBUNA_POW_MAX_NUMBER to serve (default: the settings' default)."
    )
    args = parser.parse_args()

    lib.require_tools()
    from playwright.sync_api import sync_playwright

    work = lib.temp_dir("tribuna-bench-pow-")
    port = lib.free_port()
    extra = {"TRIBUNA_POW": "1"}
    if args.cost:
        extra["TRIBUNA_POW_COST"] = args.cost
    if args.max_number:
        extra["TRIBUNA_POW_MAX_NUMBER"] = args.max_number
    env = lib.tribuna_env(work / "data", port, **extra)
    lib.tribuna(env, "migrate", "--noinput", "-v0")
    settings = lib.run(
        [
            str(lib.VENV_BIN / "python"),
            "-c",
            "import tribuna.settings as s; print(s.TRIBUNA_POW_COST, s.TRIBUNA_POW_MAX_NUMBER)",
        ],
        env=env,
    ).split()
    server = lib.serve_tribuna(env, port, 1, work / "tribuna.log")
    url = f"http://{lib.HOST}:{port}/privacy/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-background-networking"],
        )
        measure(browser, url, 2, 1)  # warm-up: module and worker compiled, server's first requests
        for label, throttle in (("this machine", 1.0), (f"CPU throttled {args.throttle:g}x", args.throttle)):
            times = measure(browser, url, args.samples, throttle)
            rows.append([label, len(times), lib.median(times), lib.percentile(times, 95), max(times)])
        browser.close()
    lib.stop(server)
    print(
        f"ALTCHA PBKDF2/SHA-256, cost {settings[0]} iterations per try, at most {settings[1]} tries; "
        f"one worker; ms from fetching the challenge to the solution"
    )
    print(lib.table(["run", "challenges", "median ms", "p95 ms", "max ms"], rows))
    print(f"load before/after: {Path('/proc/loadavg').read_text().split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
