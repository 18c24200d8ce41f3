"""The dashboard server over raw HTTP and websockets, no browser: host names, origins, XSRF, the cap, clean-up.

Each server is started as ``socanalysis dashboard`` starts it (:func:`voila_command`), on a free
localhost port, with this checkout on ``PYTHONPATH`` so that the server and its kernels import it.
The browser tests (``test_dashboards_browser.py``) open the same pages in Chromium.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psutil
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from socanalysis.dashboards import voila_command
from socanalysis.dashboards.serving import stop, wait_until_ready

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<img src=x onerror=alert(1)>"
START_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A dashboard server started for a test: its port, process and launch."""

    def __init__(self, tmp_path: Path, notebook=None, **options) -> None:
        self.port = _free_port()
        self.launch = voila_command(notebook, port=self.port, show_tracebacks=True, **options)
        env = dict(self.launch.env)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
        self.log = tmp_path / f"server-{self.port}.log"
        with self.log.open("w") as sink:
            self.process = subprocess.Popen(self.launch.argv, env=env, stdout=sink, stderr=subprocess.STDOUT)
        self.ready = wait_until_ready(self.launch, self.process, START_SECONDS)
        if self.ready is None:
            self.close()
            pytest.fail(f"the server did not get ready:\n{self.log.read_text()[-3000:]}")

    def close(self) -> None:
        stop(self.process, seconds=20)
        self.launch.cleanup()

    def kernels(self) -> int:
        """How many kernels (child processes) the server runs now."""
        return len(psutil.Process(self.process.pid).children())

    def wait_kernels(self, count: int, seconds: float = 90) -> int:
        deadline = time.monotonic() + seconds
        while self.kernels() != count and time.monotonic() < deadline:
            time.sleep(0.25)
        return self.kernels()

    def request(self, path: str, *, host: str | None = None, method: str = "GET", headers=None, body=None):
        """``(status, body text, headers)`` of one request with the given ``Host`` header."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
        try:
            connection.request(
                method, path, body=body, headers={"Host": host or f"127.0.0.1:{self.port}", **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace"), response.headers
        finally:
            connection.close()

    def open_page(self, path: str, headers=None):
        """Open a dashboard page as a browser would, without running it: ``(kernel id, _xsrf cookie, body)``."""
        status, body, headers = self.request(path, headers=headers)
        assert status == 200, body[-2000:]
        config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>\s*(\{.*?\})\s*</script>', body, re.S).group(1))
        cookies = [value for name, value in headers.items() if name.lower() == "set-cookie"]
        xsrf = next(c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("_xsrf="))
        return config["kernelId"], xsrf, body

    def shut_down(self, kernel_id: str, xsrf: str | None, *, form_xsrf: str | None = None):
        """What a page does as it unloads: POST to Voilà's shutdown path with the ``_xsrf`` it has."""
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{self.port}"}
        if xsrf is not None:
            headers["Cookie"] = f"_xsrf={xsrf}"
        body = urllib.parse.urlencode({"_xsrf": form_xsrf if form_xsrf is not None else (xsrf or "")})
        return self.request(f"/voila/api/shutdown/{kernel_id}", method="POST", headers=headers, body=body)


@pytest.fixture(scope="module")
def folder_server(tmp_path_factory):
    """Every dashboard, kernels started per page (no pool), two pages at most, a hostile firm name."""
    tmp = tmp_path_factory.mktemp("folder")
    brand = tmp / "brand.yaml"
    brand.write_text(f"firm_name: {json.dumps(HOSTILE)}\n", encoding="utf-8")
    server = Server(tmp, pool_size=0, max_kernels=2, idle_minutes=0, allow_hosts=["dash.test"], branding=brand)
    yield server
    server.close()


# --------------------------------------------------------------------------------------------
# host names and origins
# --------------------------------------------------------------------------------------------


def test_only_local_and_given_host_names_are_answered(folder_server):
    port = folder_server.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"dash.test:{port}", "DASH.TEST"):
        status, _, _ = folder_server.request("/", host=host)
        assert status == 200, host
    for host in (f"evil.example:{port}", "evil.example", f"dash.test.evil.example:{port}", f"192.0.2.7:{port}"):
        for path in ("/", "/voila/render/soc_explainer.ipynb", "/voila/static/voila.js", "/api/kernels/x"):
            status, body, _ = folder_server.request(path, host=host)
            assert status == 403, (host, path, status)
            assert "does not answer to the name" in body and "<" not in body
    assert folder_server.kernels() == 0  # no page was rendered for a refused request


def test_requests_from_pages_of_other_origins_are_refused(folder_server):
    port = folder_server.port
    status, _, _ = folder_server.request("/", headers={"Origin": "http://evil.example"})
    assert status == 403
    status, _, _ = folder_server.request("/", headers={"Origin": f"http://localhost:{port}"})
    assert status == 200  # another name of this same server


def test_kernel_websocket_from_a_foreign_origin_is_refused_and_from_its_page_accepted(folder_server):
    port = folder_server.port
    kernel_id, xsrf, _ = folder_server.open_page("/voila/render/soc_explainer.ipynb")
    try:
        path = f"/api/kernels/{kernel_id}/channels"
        for host, origin in (
            (f"127.0.0.1:{port}", "http://evil.example"),  # another site's page
            (f"127.0.0.1:{port}", f"http://evil.example:{port}"),
            (f"evil.example:{port}", f"http://evil.example:{port}"),  # DNS rebinding: both forged alike
        ):
            with pytest.raises(InvalidStatus) as refused:
                connect(f"ws://{host}{path}", origin=origin, sock=socket.create_connection(("127.0.0.1", port)))
            assert refused.value.response.status_code == 403, (host, origin)
        with pytest.raises(InvalidStatus):  # Voilà's own request-info socket is guarded alike
            connect(f"ws://127.0.0.1:{port}/voila/query/{kernel_id}", origin="http://evil.example")
        with connect(f"ws://127.0.0.1:{port}{path}", origin=f"http://127.0.0.1:{port}") as channel:
            channel.send(json.dumps(_kernel_info_request()))
            deadline, seen = time.monotonic() + 60, []
            while "kernel_info_reply" not in seen and time.monotonic() < deadline:
                seen.append(json.loads(channel.recv(timeout=60))["header"]["msg_type"])
        assert "kernel_info_reply" in seen, seen
    finally:
        assert folder_server.shut_down(kernel_id, xsrf)[0] == 204


def _kernel_info_request() -> dict:
    return {
        "header": {"msg_id": "t1", "msg_type": "kernel_info_request", "username": "", "session": "s", "version": "5.3"},
        "parent_header": {},
        "metadata": {},
        "content": {},
        "channel": "shell",
        "buffers": [],
    }


# --------------------------------------------------------------------------------------------
# kernels of closed pages, the cap
# --------------------------------------------------------------------------------------------


def test_a_closed_page_ends_its_kernel_with_xsrf_protection_kept(folder_server):
    kernel_id, xsrf, _ = folder_server.open_page("/voila/render/soc_explainer.ipynb")
    before = folder_server.kernels()
    status, body, _ = folder_server.shut_down(kernel_id, None)  # no cookie: refused, as before
    assert status == 403 and "_xsrf" in body
    status, _, _ = folder_server.shut_down(kernel_id, xsrf, form_xsrf="2|00000000|forged|1")
    assert status == 403
    assert folder_server.kernels() == before
    status, _, _ = folder_server.shut_down(kernel_id, xsrf)  # what the page sends as it unloads
    assert status == 204
    assert folder_server.wait_kernels(before - 1) == before - 1


def test_beyond_the_cap_a_branded_busy_page_says_how_many_pages_are_open(folder_server):
    folder_server.wait_kernels(0)
    opened = []
    while folder_server.kernels() < 2:
        opened.append(folder_server.open_page("/voila/render/soc_explainer.ipynb"))
    status, body, headers = folder_server.request("/voila/render/lead_classifier.ipynb")
    assert status == 503 and headers["Retry-After"] == "60"
    assert "The dashboards are busy: 2 pages are open; close one or try again in a minute." in body
    assert HOSTILE not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert folder_server.kernels() == 2  # no kernel started for it
    status, body, _ = folder_server.request("/voila/render/lead_classifier.ipynb?theme=dark")
    assert status == 503 and "soc-dark" in body
    for kernel_id, xsrf, _ in opened:
        assert folder_server.shut_down(kernel_id, xsrf)[0] == 204
    assert folder_server.wait_kernels(0) == 0
    kernel_id, xsrf, _ = folder_server.open_page("/voila/render/lead_classifier.ipynb")  # room again
    assert folder_server.shut_down(kernel_id, xsrf)[0] == 204


# --------------------------------------------------------------------------------------------
# the home page
# --------------------------------------------------------------------------------------------


def test_the_home_page_lists_the_dashboards_in_the_firms_branding(folder_server):
    status, body, headers = folder_server.request("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Select items to open" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body and HOSTILE not in body
    for notebook in ("portfolio_dashboard", "meeting_walkthrough", "lead_classifier", "soc_explainer"):
        assert f'href="voila/render/{notebook}.ipynb"' in body
    status, dark, _ = folder_server.request("/?theme=dark")
    assert status == 200 and "soc-dark" in dark and 'href="voila/render/soc_explainer.ipynb?theme=dark"' in dark
    status, _, headers = folder_server.request("/voila/tree")
    assert status in (301, 302) and headers["Location"] == "/"


def test_with_a_token_the_home_page_a_dashboard_and_its_shutdown_work(tmp_path):
    server = Server(tmp_path, pool_size=0, token="s3cret-token", idle_minutes=0)
    try:
        status, _, headers = server.request("/")
        assert status == 302 and headers["Location"].startswith("/login")  # no token, no page
        status, body, headers = server.request("/?token=s3cret-token")
        assert status == 200 and 'href="voila/render/soc_explainer.ipynb"' in body
        login = next(c.split(";")[0] for n, c in headers.items() if n.lower() == "set-cookie" and "username-" in c)
        kernel_id, xsrf, _ = server.open_page("/voila/render/soc_explainer.ipynb", headers={"Cookie": login})
        status, _, _ = server.request(
            f"/voila/api/shutdown/{kernel_id}",
            method="POST",
            headers={
                "Cookie": f"{login}; _xsrf={xsrf}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{server.port}",
            },
            body=urllib.parse.urlencode({"_xsrf": xsrf}),
        )
        assert status == 204
        assert server.wait_kernels(0) == 0
    finally:
        server.close()


# --------------------------------------------------------------------------------------------
# kernels kept warm, and idle kernels
# --------------------------------------------------------------------------------------------


def test_kept_warm_kernels_count_in_the_cap_and_a_used_one_is_replaced(tmp_path):
    server = Server(tmp_path, "explainer", pool_size=1, max_kernels=2, idle_minutes=0)
    try:
        assert server.ready["warm_kernels"] == 1 and server.kernels() == 1
        kernel_id, xsrf, body = server.open_page("/")
        assert "Using pre-heated kernel" in server.log.read_text()
        assert server.wait_kernels(2) == 2  # the page's kernel, and a new one kept warm
        status, busy, _ = server.request("/")  # the cap of 2 counts the kernel kept warm
        assert status == 503 and "1 page is open" in busy
        assert server.shut_down(kernel_id, xsrf)[0] == 204
        assert server.wait_kernels(1) == 1  # the one kept warm
        kernel_id, xsrf, body = server.open_page("/?theme=dark")  # the other theme, still served warm
        assert server.log.read_text().count("Using pre-heated kernel") == 2
        assert 'var served = "light";' in body  # the page swaps the stylesheet itself
        assert server.shut_down(kernel_id, xsrf)[0] == 204
    finally:
        server.close()


def test_an_abandoned_pages_kernel_is_ended_after_the_idle_time(tmp_path):
    server = Server(tmp_path, "explainer", pool_size=0, idle_minutes=0.1)  # 6 s, checked every second
    try:
        server.open_page("/")  # and never connected to, as when a browser dies
        assert server.kernels() == 1
        started = time.monotonic()
        assert server.wait_kernels(0, seconds=60) == 0
        assert time.monotonic() - started < 30
        assert "Culling" in server.log.read_text()
    finally:
        server.close()


# --------------------------------------------------------------------------------------------
# what the terminal shows
# --------------------------------------------------------------------------------------------

NOISE = (
    "is not trusted",  # the server, of its own notebooks written unsigned
    "without encryption",  # each kernel, connected over TCP
    "websocket_ping_timeout",  # tornado, of jupyter_server's ping settings
)


def test_the_terminal_shows_the_url_and_real_problems_not_routine_warnings(tmp_path):
    """``socanalysis dashboard`` as a partner runs it: warm every dashboard, open a page and use its kernel."""
    port = _free_port()
    output = tmp_path / "terminal.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    command = [sys.executable, "-m", "socanalysis.cli", "dashboard", "--port", str(port), "--idle-minutes", "0"]
    with output.open("w") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"The dashboards are at http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_SECONDS
        while url not in output.read_text() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.25)
        assert url in output.read_text(), output.read_text()[-3000:]
        server = Server.__new__(Server)  # the request helpers, on the server the command started
        server.port, server.process = port, process
        kernel_id, xsrf, _ = server.open_page("/voila/render/soc_explainer.ipynb")  # a kernel kept warm
        with connect(
            f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?session_id=terminal-test",
            origin=f"http://127.0.0.1:{port}",
        ) as ws:
            ws.send(json.dumps(_kernel_info_request()))
            seen, deadline = [], time.monotonic() + 60
            while "kernel_info_reply" not in seen and time.monotonic() < deadline:
                seen.append(json.loads(ws.recv(timeout=60))["header"]["msg_type"])
        assert server.shut_down(kernel_id, xsrf)[0] == 204
        assert server.request("/", host="evil.example")[0] == 403
        time.sleep(2)  # for the server to log what it does
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    shown = output.read_text()
    assert shown.count(url) == 1 and shown.count(f"http://127.0.0.1:{port}/") == 1  # once, when warm
    for line in NOISE:
        assert line not in shown, line
    assert "refused GET /: this server does not answer to the name 'evil.example'" in shown  # real problems show
