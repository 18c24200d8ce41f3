"""Time to first content of each dashboard in headless Chromium, cold and warm, and the memory of the kernels kept warm.

    python benchmarks/bench_pages.py                       # every dashboard, pool of 1, 3 warm rounds
    python benchmarks/bench_pages.py --rounds 5 --pool-size 2 --check

The server is started as ``socanalysis dashboard`` starts it (:func:`voila_command`, then waiting
for the kernels kept warm, as :func:`serve` does before it prints the URL: "warming" below). Then
Debian's Chromium, through Playwright, with every off-host request blocked, opens the home page
and clicks a dashboard's link:

- cold: the first open of each dashboard after the server started, each in a new browser profile
  (nothing cached: the page's scripts, about 10 MB, come from the server);
- warm: ``--rounds`` more opens of each dashboard in one browser profile (its cache filled, as a
  partner's browser is after the first page), each once the kernels kept warm are ready again;
- pool used up: a second open of the same dashboard right after the first, before the kernel it
  took is replaced: that page gets a kernel started for it.

Each page is left (for ``about:blank``) once measured, which shuts its kernel down. Time to first
content runs from the click to the moment the page's first headline or chart is visible:

- portfolio: the headline figures (the first chart is printed too);
- meeting: the recommendation;
- leads: the upload button and its size limit (the page draws no chart before an upload);
- explainer: the first section's table.

Memory: the resident set (RSS) of the server process and of each kernel (psutil) once warm, and
the memory unique to each kernel (USS: what ending it gives back; RSS counts the shared libraries
in every process).

Target: first content within 3 s of the click. With ``--check`` the script exits 1 when a cold or
warm open misses it.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OFF_HOST = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")
TARGET_S = 3.0

FIRST_CONTENT = {
    "portfolio_dashboard": '[data-kpi="organisations"] .soc-kpi-value',
    "meeting_walkthrough": ".soc-recommendation",
    "lead_classifier": ".soc-upload-limit",
    "soc_explainer": ".soc-section-body table",
}
FIRST_CHART = ".soc-chart .js-plotly-plot .main-svg"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def open_once(page, home: str, notebook: str) -> tuple[float, float | None]:
    """Seconds from the click on the home page to the first content (and to the first chart, for the portfolio)."""
    page.goto(home)
    link = page.locator(f'[data-dashboard="{notebook}"] a')
    link.wait_for()
    started = time.perf_counter()
    link.click()
    page.wait_for_selector(FIRST_CONTENT[notebook], state="visible", timeout=180_000)
    first = time.perf_counter() - started
    chart = None
    if notebook == "portfolio_dashboard":
        page.wait_for_selector(FIRST_CHART, state="visible", timeout=180_000)
        chart = time.perf_counter() - started
    return first, chart


def leave(page) -> None:
    """Leave the page as a person does: its kernel is shut down as it unloads."""
    page.goto("about:blank")


def memory(pid: int) -> tuple[float, list[tuple[float, float]]]:
    """The server's RSS and each kernel's (RSS, USS), in MB."""
    import psutil

    server = psutil.Process(pid)
    kernels = []
    for child in server.children():
        info = child.memory_full_info()
        kernels.append((info.rss / 2**20, info.uss / 2**20))
    return server.memory_info().rss / 2**20, kernels


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="warm opens of each dashboard (default 3)")
    ap.add_argument("--pool-size", type=int, default=1, help="kernels kept warm per dashboard (default 1)")
    ap.add_argument("--browser", default=CHROMIUM, help=f"Chromium executable (default {CHROMIUM})")
    ap.add_argument("--check", action="store_true", help=f"exit 1 when an open takes {TARGET_S:.0f} s or more")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from socanalysis.dashboards import voila_command
    from socanalysis.dashboards.serving import stop, wait_until_ready, wait_until_warm

    notebooks = list(FIRST_CONTENT)
    cold: dict[str, float] = {}
    warm: dict[str, list[float]] = {name: [] for name in notebooks}
    charts: list[float] = []
    used_up: dict[str, float] = {}
    off_host: list[str] = []
    with tempfile.TemporaryDirectory(prefix="socanalysis-bench-") as folder:
        launch = voila_command(None, port=_free_port(), pool_size=args.pool_size)
        log = open(Path(folder) / "voila.log", "w")  # noqa: SIM115 - closed below
        started = time.perf_counter()
        process = subprocess.Popen(launch.argv, env=launch.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            if wait_until_ready(launch, process, 600) is None:
                raise SystemExit(f"the server did not get ready (exit status {process.poll()})")
            warming = time.perf_counter() - started
            server_mb, kernels_mb = memory(process.pid)
            home = launch.url
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.browser, args=CHROMIUM_ARGS)

                def new_page():
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    context.route(OFF_HOST, lambda route: (off_host.append(route.request.url), route.abort()))
                    return context, context.new_page()

                for notebook in notebooks:  # cold: each in a new profile
                    context, page = new_page()
                    cold[notebook], chart = open_once(page, home, notebook)
                    if chart is not None:
                        charts.append(chart)
                    leave(page)
                    context.close()
                context, page = new_page()
                for _ in range(args.rounds):
                    for notebook in notebooks:
                        wait_until_warm(launch, process)
                        first, chart = open_once(page, home, notebook)
                        warm[notebook].append(first)
                        if chart is not None:
                            charts.append(chart)
                        leave(page)
                for notebook in notebooks:  # twice in a row: the second finds no kernel kept warm
                    wait_until_warm(launch, process)
                    open_once(page, home, notebook)
                    leave(page)
                    used_up[notebook], _ = open_once(page, home, notebook)
                    leave(page)
                context.close()
                browser.close()
        finally:
            stop(process, seconds=20)
            log.close()
            launch.cleanup()

    print(f"dashboard server, {args.pool_size} kernel(s) kept warm per dashboard, {len(notebooks)} dashboards")
    print(f"warming (start to ready):       {warming:6.1f} s")
    rss = [r for r, _ in kernels_mb]
    uss = [u for _, u in kernels_mb]
    print(
        f"memory once warm:               server {server_mb:,.0f} MB RSS; {len(kernels_mb)} kernels "
        f"{sum(rss):,.0f} MB RSS ({statistics.median(rss):,.0f} MB each), {sum(uss):,.0f} MB unique "
        f"({statistics.median(uss):,.0f} MB each)"
    )
    print(f"time to first content (target < {TARGET_S:.0f} s), seconds from the click:")
    print(f"  {'page':<22} {'cold':>6} {'warm median':>12} {'warm max':>9} {'pool used up':>13}")
    missed = False
    for notebook in notebooks:
        runs = warm[notebook]
        print(
            f"  {notebook:<22} {cold[notebook]:6.2f} {statistics.median(runs):12.2f} {max(runs):9.2f} "
            f"{used_up[notebook]:13.2f}"
        )
        missed = missed or cold[notebook] >= TARGET_S or max(runs) >= TARGET_S
    print(
        f"portfolio's first chart:        median {statistics.median(charts):.2f} s, max {max(charts):.2f} s "
        f"over {len(charts)} opens"
    )
    print(f"off-host requests attempted:    {len(off_host)}")
    if missed:
        print("a target was missed" if args.check else "note: a target was missed")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
