"""Time to first content of each dashboard in headless Chromium, cold and warm, and the memory of the kernels kept warm.

    python benchmarks/bench_pages.py                       # every dashboard, pool of 1, 3 warm rounds
    python benchmarks/bench_pages.py --rounds 5 --pool-size 2 --check

The server is started as ``socanalysis dashboard`` starts it (:func:`voila_command`, then waiting
for the kernels kept warm, as :func:`serve` does before it prints the URL: "warming" below). Then
Debian's Chromium, through Playwright, with every off-host request counted, opens the home page
and clicks a dashboard's link:

- later opens: ``--rounds`` opens of each dashboard in one browser profile, each once the
  kernels kept warm are ready again (a used one is replaced a few seconds after it is taken);
- pool used up: a second open of the same dashboard right after the first, before the kernel it
  took is replaced: that page gets a kernel started for it;
- first after start: the server is stopped and started again on the same address, and, as soon
  as it says it is ready, the same browser (which has been there before, as a partner's has)
  opens each dashboard once;
- new browser: the first open of each dashboard after the server started, each in a new browser
  profile, nothing cached: the page's scripts (about 10 MB) come from the server and are compiled
  for the first time.

Each page is left (for ``about:blank``) once measured, which shuts its kernel down. Time to first
content runs from the click to the moment the page's first headline or chart is visible:

- portfolio: the headline figures (the first chart is printed too);
- meeting: the recommendation;
- leads: the upload button and its size limit (the page draws no chart before an upload);
- explainer: the first section's table.

Memory: the resident set (RSS) of the server process and of each kernel (psutil) once warm, and
the memory unique to each kernel (USS: what ending it gives back; RSS counts the shared libraries
in every process).

Target: first content within 3 s of the click. With ``--check`` the script exits 1 when the first
open after a start, or the median of the later opens, misses it. The load average of the machine
(shared with other work) is printed with the times.
"""

from __future__ import annotations

import argparse
import os
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


class Server:
    """A dashboard server started as ``socanalysis dashboard`` starts it, and how long it took to get warm."""

    def __init__(self, folder: Path, port: int, pool_size: int) -> None:
        from socanalysis.dashboards import voila_command
        from socanalysis.dashboards.serving import wait_until_ready

        self.launch = voila_command(None, port=port, pool_size=pool_size, check_port=False)
        self.log = open(folder / f"voila-{time.monotonic_ns()}.log", "w")  # noqa: SIM115 - closed in stop()
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.launch.argv, env=self.launch.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        if wait_until_ready(self.launch, self.process, 600) is None:
            self.stop()
            raise SystemExit(f"the server did not get ready (exit status {self.process.poll()})")
        self.warming = time.perf_counter() - started

    def warm(self) -> None:
        from socanalysis.dashboards.serving import wait_until_warm

        wait_until_warm(self.launch, self.process)

    def stop(self) -> None:
        from socanalysis.dashboards.serving import stop

        stop(self.process, seconds=20)
        self.log.close()
        self.launch.cleanup()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="warm opens of each dashboard (default 3)")
    ap.add_argument("--pool-size", type=int, default=1, help="kernels kept warm per dashboard (default 1)")
    ap.add_argument("--browser", default=CHROMIUM, help=f"Chromium executable (default {CHROMIUM})")
    ap.add_argument("--check", action="store_true", help=f"exit 1 when an open takes {TARGET_S:.0f} s or more")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    notebooks = list(FIRST_CONTENT)
    new_profile: dict[str, float] = {}
    after_start: dict[str, float] = {}
    warm: dict[str, list[float]] = {name: [] for name in notebooks}
    charts: list[float] = []
    used_up: dict[str, float] = {}
    off_host: list[str] = []
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="socanalysis-bench-") as folder:
        server = Server(Path(folder), port, args.pool_size)
        warming = [server.warming]
        server_mb, kernels_mb = memory(server.process.pid)
        home = server.launch.url
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.browser, args=CHROMIUM_ARGS)

                def new_page():
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    # watched, not intercepted: Chromium drops a page's unload beacon (which ends
                    # its kernel) while Playwright intercepts requests
                    context.on("request", lambda r: off_host.append(r.url) if OFF_HOST.match(r.url) else None)
                    return context, context.new_page()

                for notebook in notebooks:  # the first open, each in a new browser profile
                    context, page = new_page()
                    new_profile[notebook], chart = open_once(page, home, notebook)
                    charts += [chart] if chart is not None else []
                    leave(page)
                    context.close()
                context, page = new_page()
                for _ in range(args.rounds):
                    for notebook in notebooks:
                        server.warm()
                        first, chart = open_once(page, home, notebook)
                        warm[notebook].append(first)
                        charts += [chart] if chart is not None else []
                        leave(page)
                for notebook in notebooks:  # twice in a row: the second finds no kernel kept warm
                    server.warm()
                    open_once(page, home, notebook)
                    leave(page)
                    used_up[notebook], _ = open_once(page, home, notebook)
                    leave(page)
                server.stop()
                # the server started again on the same address; the browser has been there before
                server = Server(Path(folder), port, args.pool_size)
                warming.append(server.warming)
                for notebook in notebooks:
                    after_start[notebook], chart = open_once(page, home, notebook)
                    charts += [chart] if chart is not None else []
                    leave(page)
                context.close()
                browser.close()
        finally:
            server.stop()
    load = max(load, os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"))

    print(f"dashboard server, {args.pool_size} kernel(s) kept warm per dashboard, {len(notebooks)} dashboards")
    print(f"warming (start to ready):       {' s, '.join(f'{w:.1f}' for w in warming)} s")
    rss = [r for r, _ in kernels_mb]
    uss = [u for _, u in kernels_mb]
    print(
        f"memory once warm:               server {server_mb:,.0f} MB RSS; {len(kernels_mb)} kernels "
        f"{sum(rss):,.0f} MB RSS ({min(rss):,.0f} to {max(rss):,.0f} MB each), {sum(uss):,.0f} MB unique "
        f"({min(uss):,.0f} to {max(uss):,.0f} MB each)"
    )
    print(f"time to first content (target < {TARGET_S:.0f} s), seconds from the click; load average up to {load:.1f}:")
    print(
        f"  {'page':<22} {'first after start':>17} {'later: median':>14} {'max':>5}   "
        f"{'new browser':>11} {'pool used up':>13}"
    )
    missed = False
    for notebook in notebooks:
        runs = warm[notebook]
        print(
            f"  {notebook:<22} {after_start[notebook]:17.2f} {statistics.median(runs):14.2f} {max(runs):5.2f}   "
            f"{new_profile[notebook]:11.2f} {used_up[notebook]:13.2f}"
        )
        missed = missed or after_start[notebook] >= TARGET_S or statistics.median(runs) >= TARGET_S
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
