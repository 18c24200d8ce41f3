"""The dashboards' web server: Voilà's application with what a server of client data needs.

:func:`socanalysis.dashboards.serving.voila_command` starts it as ``python -m
socanalysis.dashboards.server`` with Voilà's own options and these:

* **Host names and origins** (``--DashboardServer.allow_hosts``). Voilà's standalone application
  passes ``allow_remote_access=True`` to tornado, which turns off jupyter_server's check of the
  ``Host`` header, and that check and jupyter_server's ``Origin`` check cover only its own handlers
  anyway (not the static files, nor Voilà's request-info websocket). So the check is made here,
  before any handler is chosen (:class:`HostGuard`): a request whose ``Host`` is not a loopback
  address, ``localhost``, a name given with ``--allow-host`` (or, listening on every interface,
  this machine's name) gets 403, which defeats DNS rebinding; a request carrying an ``Origin``
  that is not one of the served origins (a websocket to a kernel from another site) gets 403 too.
* **Kernels of closed pages end** (:class:`DashboardPageHandler`). A page asks the server to shut
  its kernel down as it unloads, with the ``_xsrf`` value of its cookie; Voilà never set that
  cookie, so the request was refused. The page handler sets it, and XSRF protection stays on.
  Kernels idle for ``MappingKernelManager.cull_idle_timeout`` seconds with no page connected are
  ended too (jupyter_server's culler; ``cull_connected=False`` keeps a page on screen working).
* **A cap on live kernels** (``--DashboardKernelManager.max_kernels``), the kernels kept warm
  included: beyond it a page gets "The dashboards are busy" with HTTP 503.
* **Kernels kept warm** (Voilà's ``--preheat_kernel=True --pool_size=N``): each dashboard's
  notebook has run, in the server's theme, in a kernel before any page asks for it, and a used
  kernel is replaced. A page asking for the other theme (``?theme=``) is served warm too: the
  page swaps Voilà's stylesheet itself (the ``socanalysis`` template) and the kernel rebuilds the
  app in that theme as the page loads (:func:`socanalysis.dashboards.common.follow_page`). Once
  every kernel kept warm has run its notebook, ``--DashboardServer.ready_file`` is written, and
  then kept up to date.
* **A home page** at ``/`` instead of Voilà's file tree, and the busy page, both written
  beforehand in the firm's branding (``--DashboardServer.pages_dir``, see
  :mod:`socanalysis.dashboards.home`).

* **Quiet logs**: tornado's warning about jupyter_server's websocket ping settings, given at the
  first page that connects, is filtered out (:class:`QuietPingSettings`); every other line stays.

This module imports no dashboard: the server process stays small, and the apps load in the
kernels only.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import shutil
import socket
import tempfile
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import tornado.ioloop
import tornado.web
from jupyter_core.utils import run_sync
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from traitlets import Integer, List, Unicode
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from ._files import write_atomically

__all__ = [
    "DashboardKernelManager",
    "DashboardPageHandler",
    "DashboardServer",
    "HostGuard",
    "KernelLimitReached",
    "QuietPingSettings",
    "main",
]

LOOPBACK_NAMES = ("localhost",)
"""Names that always reach this machine only; loopback addresses (127.0.0.0/8, ::1) are allowed too."""

_HOST = re.compile(r"^(?:\[(?P<v6>[^\]]+)\]|(?P<name>[^:\[\]]+))(?::(?P<port>\d+))?$")


def _host_name(host: str) -> str:
    """The name part of a ``Host`` header, lower case, without port, brackets or final dot.

    >>> _host_name("[::1]:8866"), _host_name("LocalHost.:80"), _host_name("evil.example")
    ('::1', 'localhost', 'evil.example')
    """
    text = host.strip().lower()
    match = _HOST.match(text)
    if match is None:
        return text
    return (match.group("v6") or match.group("name") or "").rstrip(".")


class HostGuard:
    """Which ``Host`` and ``Origin`` headers the server answers to.

    Parameters
    ----------
    names : iterable of str
        Host names or addresses served besides ``localhost`` and the loopback addresses.
    port : int
        The port the server listens on: an ``Origin`` naming a served host must name this port,
        unless it is exactly the request's own ``Host``.

    Examples
    --------
    >>> guard = HostGuard(["dashboards.firm.example"], 8866)
    >>> [guard.host_allowed(h) for h in ("127.0.0.1:8866", "[::1]:8866", "localhost", "evil.example:8866")]
    [True, True, True, False]
    >>> guard.host_allowed("Dashboards.Firm.Example:8866")
    True
    >>> guard.origin_allowed("http://evil.example:8866", "127.0.0.1:8866")
    False
    >>> guard.origin_allowed("http://localhost:8866", "127.0.0.1:8866")
    True
    >>> guard.origin_allowed("null", "127.0.0.1:8866")
    False
    """

    def __init__(self, names: Iterable[str], port: int) -> None:
        self.names = frozenset({*LOOPBACK_NAMES, *(_host_name(n) for n in names if n and n.strip())})
        self.port = int(port)

    def host_allowed(self, host: str) -> bool:
        """Whether a request with this ``Host`` header is served."""
        name = _host_name(host)
        if name in self.names:
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False

    def origin_allowed(self, origin: str, host: str) -> bool:
        """Whether a request from a page at ``origin`` (its ``Origin`` header) with this ``Host`` is served."""
        try:
            parts = urlsplit(origin.strip())
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        if parts.netloc.lower() == host.strip().lower():
            return True  # the page's own origin (its Host is checked on its own)
        default = 443 if parts.scheme == "https" else 80
        return (port or default) == self.port and self.host_allowed(parts.hostname)

    def refusal(self, request) -> str | None:
        """Why ``request`` (a tornado request) is refused, or None when it is served."""
        host = request.headers.get("Host") or request.host or ""
        if not self.host_allowed(host):
            return (
                f"this server does not answer to the name {_host_name(host)!r}; it answers to localhost, "
                "its loopback addresses and the names given with socanalysis dashboard --allow-host"
            )
        origin = request.headers.get("Origin")
        if origin is not None and not self.origin_allowed(origin, host):
            return f"requests from pages at {origin.strip()[:200]!r} are not served here"
        return None


class _RefusedHandler(tornado.web.RequestHandler):
    """403 with a one-line reason, in plain text, for any method."""

    def initialize(self, reason: str) -> None:
        self.reason = reason

    def prepare(self) -> None:
        tornado.web.app_log.warning("refused %s %s: %s", self.request.method, self.request.path, self.reason)
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(f"403 Forbidden: {self.reason}\n")


class _GuardedApplication(tornado.web.Application):
    """A tornado application that sends every request its :class:`HostGuard` refuses to a 403 handler."""

    def __init__(self, guard: HostGuard, *args, **kwargs) -> None:
        self.guard = guard
        super().__init__(*args, **kwargs)

    def find_handler(self, request, **kwargs):
        reason = self.guard.refusal(request)
        if reason is not None:
            return self.get_handler_delegate(request, _RefusedHandler, {"reason": reason})
        return super().find_handler(request, **kwargs)


class QuietPingSettings(logging.Filter):
    """Drop tornado's warning that jupyter_server's websocket ping timeout is longer than its interval.

    jupyter_server's websockets ask tornado for a 90 s ping timeout beside a 30 s interval; tornado
    (6.5 and later) then uses the interval for both and says so on ``tornado.general`` at the first
    page that connects. Nothing is wrong and nobody can act on it. Every other line passes.

    Examples
    --------
    >>> quiet = QuietPingSettings()
    >>> def record(msg):
    ...     return logging.LogRecord("tornado.general", logging.WARNING, __file__, 1, msg, (), None)
    >>> quiet.filter(record("The websocket_ping_timeout (90000) cannot be longer than the "
    ...                     "websocket_ping_interval (30000).\\nSetting websocket_ping_timeout=30000"))
    False
    >>> quiet.filter(record("Malformed HTTP message from 127.0.0.1: Malformed HTTP headers"))
    True
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (
            message.startswith("The websocket_ping_timeout (")
            and "cannot be longer than the websocket_ping_interval" in message
        )


class KernelLimitReached(RuntimeError):
    """No room for another page's kernel: ``pages`` pages are open already."""

    def __init__(self, pages: int) -> None:
        super().__init__(f"{pages} pages are open, as many as the server allows")
        self.pages = pages


class DashboardKernelManager(AsyncMappingKernelManager):
    """The kernel manager under Voilà's pool: it tells the kernels kept warm from the pages' kernels, and caps them.

    Voilà builds its pool manager on top of this class (``VoilaConfiguration.multi_kernel_manager_class``),
    so every kernel start passes through :meth:`start_kernel`: a start for the pool carries
    ``VOILA_PREHEAT=True`` in its environment, a start for a page does not. A page may take a kernel
    (kept warm or new) while fewer than :attr:`page_limit` pages hold one, so that with the pool
    refilled no more than :attr:`max_kernels` kernels live at once.
    """

    max_kernels = Integer(
        0,
        config=True,
        help="The most kernels alive at once, the kernels kept warm included; 0 for no cap.",
    )

    def __init__(self, **kwargs) -> None:
        self._warming: set[str] = set()  # being started for the pool
        self._starting_pages: set[str] = set()  # being started for a page
        super().__init__(**kwargs)

    def pool_size_of(self, notebook: str) -> int:
        """How many kernels the pool keeps warm for ``notebook`` (0 without a pool)."""
        config = getattr(self, "kernel_pools_config", None) or {}
        default = config.get("default", {}).get("pool_size", 0)
        return max(int(config.get(notebook, {}).get("pool_size", default)), 0)

    @property
    def pool_capacity(self) -> int:
        """How many kernels the pool keeps warm when full (0 without a pool)."""
        return sum(self.pool_size_of(name) for name in getattr(self, "_pools", None) or {})

    def pooled_kernel_ids(self) -> set[str]:
        """The kernels kept warm: started, or being started, for the pool and not taken by a page."""
        ids = set(self._warming)
        for pool in (getattr(self, "_pools", None) or {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
        return ids

    def page_kernel_ids(self) -> set[str]:
        """The kernels of pages: every live kernel, or one being started for a page, not kept warm."""
        return ({*self.list_kernel_ids(), *self._starting_pages}) - self.pooled_kernel_ids()

    @property
    def page_limit(self) -> int | None:
        """How many pages may hold a kernel at once; None without a cap."""
        if self.max_kernels <= 0:
            return None
        return max(self.max_kernels - self.pool_capacity, 0)

    def room_for_page(self) -> bool:
        """Whether one more page may take a kernel."""
        limit = self.page_limit
        return limit is None or len(self.page_kernel_ids()) < limit

    async def _async_start_kernel(self, *, kernel_id: str | None = None, path=None, **kwargs) -> str:
        pooled = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        kernel_id = kernel_id or str(uuid.uuid4())
        if pooled:
            self._warming.add(kernel_id)
        else:
            if not self.room_for_page():  # checked and reserved with no await between: no race
                raise KernelLimitReached(len(self.page_kernel_ids()))
            self._starting_pages.add(kernel_id)
        try:
            return await super()._async_start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        finally:
            # the pool's task takes the id in the same step of the event loop: never counted twice
            self._warming.discard(kernel_id)
            self._starting_pages.discard(kernel_id)

    start_kernel = _async_start_kernel


def _busy_page(handler: tornado.web.RequestHandler, pages: dict[str, str], theme: str, open_pages: int) -> None:
    shown = "1 page is" if open_pages == 1 else f"{open_pages:,} pages are"
    handler.clear()
    handler.set_status(503)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Retry-After", "60")
    handler.finish(pages[f"busy-{theme}.html"].replace(_BUSY_PLACEHOLDER, shown))


_BUSY_PLACEHOLDER = "__SOCANALYSIS_PAGES_OPEN__"  # socanalysis.dashboards.home.BUSY_PLACEHOLDER


def _theme(handler: tornado.web.RequestHandler, default: str) -> str:
    wanted = (handler.get_argument("theme", "") or "").strip().lower()
    return wanted if wanted in ("light", "dark") else default


class DashboardPageHandler(TornadoVoilaHandler):
    """Voilà's page handler, plus: the ``_xsrf`` cookie, the kernel cap, and theme changes served warm.

    * The ``_xsrf`` cookie: the page sends its value back when it unloads, to shut its kernel down.
    * The cap: beyond :attr:`DashboardKernelManager.page_limit` pages, the busy page (503).
    * ``?theme=light`` or ``?theme=dark`` may take a kernel kept warm in the other theme: the page
      swaps Voilà's stylesheet itself (see the ``socanalysis`` template) and the kernel rebuilds
      the app in the page's theme when the page takes it.
    """

    def initialize(self, **kwargs) -> None:
        self.pages = kwargs.pop("pages")
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        self.xsrf_token  # noqa: B018 - reading it sets the cookie
        manager = self.kernel_manager
        theme = _theme(self, self.voila_configuration.theme)
        if isinstance(manager, DashboardKernelManager) and not manager.room_for_page():
            return _busy_page(self, self.pages, theme, len(manager.page_kernel_ids()))
        try:
            await super().get(path)
        except KernelLimitReached as exc:
            if self._headers_written:
                raise
            _busy_page(self, self.pages, theme, exc.pages)

    def should_use_rendered_notebook(self, notebook_data, pool_size, template_name, theme, request_args):
        if theme in ("light", "dark"):
            theme = None  # served warm: see the class docstring
        return super().should_use_rendered_notebook(notebook_data, pool_size, template_name, theme, request_args)


class HomeHandler(JupyterHandler):
    """The home page, in the page's theme (``?theme=``) or the server's."""

    def initialize(self, pages: dict[str, str], theme: str) -> None:
        self.pages = pages
        self.default_theme = theme

    @tornado.web.authenticated
    def get(self) -> None:
        theme = _theme(self, self.default_theme)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.pages[f"home-{theme}.html"])


class DashboardServer(Voila):
    """Voilà's standalone application with the checks and pages described in the module docstring."""

    description = Unicode("The socanalysis dashboards, served by Voilà on this machine.")

    allow_hosts = List(
        Unicode(),
        config=True,
        help="Host names or addresses served besides localhost and the loopback addresses (repeatable).",
    )
    pages_dir = Unicode(
        "", config=True, help="The folder holding home-light.html, home-dark.html, busy-light.html and busy-dark.html."
    )
    ready_file = Unicode("", config=True, help="Written (JSON) once every kernel kept warm waits for its page.")

    def initialize(self, argv=None) -> None:
        super().initialize(argv)
        logging.getLogger("tornado.general").addFilter(QuietPingSettings())
        self.pages = self._read_pages()
        self.started_at = time.monotonic()
        self.ready_seconds: float | None = None
        self.warm_reported: int | None = None

    def _read_pages(self) -> dict[str, str]:
        pages = {}
        for theme in ("light", "dark"):
            for kind in ("home", "busy"):
                name = f"{kind}-{theme}.html"
                path = Path(self.pages_dir) / name if self.pages_dir else None
                if path is not None and path.is_file():
                    pages[name] = path.read_text(encoding="utf-8")
                elif kind == "busy":
                    pages[name] = (
                        "<!DOCTYPE html><title>busy</title><p>The dashboards are busy: "
                        f"{_BUSY_PLACEHOLDER} open; close one or try again in a minute.</p>"
                    )
                else:
                    pages[name] = "<!DOCTYPE html><title>SOC dashboards</title><p>No home page was written.</p>"
        return pages

    def served_names(self) -> list[str]:
        """The names the server answers to besides localhost and loopback addresses."""
        names = list(self.allow_hosts)
        if self.ip in ("", "0.0.0.0", "::"):
            hostname = socket.gethostname()
            names.extend([hostname, hostname.split(".")[0]])
        else:
            names.append(self.ip)
        return names

    def init_handlers(self) -> list:
        handlers = []
        theme = self.voila_configuration.theme if self.voila_configuration.theme in ("light", "dark") else "light"
        for pattern, handler, *rest in super().init_handlers():
            if handler is TornadoVoilaHandler:
                options = dict(rest[0]) if rest else {}
                options["pages"] = self.pages
                handlers.append((pattern, DashboardPageHandler, options))
            elif handler in (TornadoVoilaTreeHandler, VoilaContentsHandler):
                continue  # the home page replaces the file tree
            else:
                handlers.append((pattern, handler, *rest))
        if not self.notebook_path:
            home = url_path_join(self.server_url, "/")
            handlers[:0] = [
                (home, HomeHandler, {"pages": self.pages, "theme": theme}),
                (url_path_join(self.server_url, r"/voila/tree(?:/.*)?"), tornado.web.RedirectHandler, {"url": home}),
            ]
        return handlers

    def start(self) -> None:
        # Voila.start, with the guarded application and the pool's upkeep
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        self.log.info("Storing connection files in %s.", self.connection_dir)
        settings = self.init_settings()
        guard = HostGuard(self.served_names(), self.port)
        self.app = _GuardedApplication(guard, **settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        tornado.ioloop.PeriodicCallback(self._tend_pool, 500).start()
        self.listen()

    def stop(self) -> None:
        # The kernels hold nothing to save: end them at once. A graceful shutdown would interrupt
        # the kernels kept warm in the middle of their cell (they wait for a page) and fill the
        # terminal with their complaints.
        shutil.rmtree(self.connection_dir, ignore_errors=True)
        run_sync(self.kernel_manager.shutdown_all)(now=True)

    def _tend_pool(self) -> None:
        """Drop kept-warm kernels that failed to start, refill the pools, and say when all are warm.

        The ready file appears once every kernel kept warm has run its notebook; it is then rewritten
        whenever the number of warm kernels changes (``{"warm_kernels": N, "warm": n, "seconds": S}``).
        """
        manager = self.kernel_manager
        if not isinstance(manager, DashboardKernelManager):
            return
        warm = 0
        for name, pool in (getattr(manager, "_pools", None) or {}).items():
            for task in list(pool):
                if task.done() and (task.cancelled() or task.exception() is not None):
                    pool.remove(task)
                    self.log.warning("a kernel kept warm for %s failed to start; starting another", name)
            if len(pool) < manager.pool_size_of(name):
                manager.fill_if_needed(delay=0, notebook_name=name)
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    warm += task.result()["task"].done()  # the notebook has run
        capacity = manager.pool_capacity
        if self.ready_seconds is None and warm >= capacity:
            self.ready_seconds = round(time.monotonic() - self.started_at, 1)
            self.log.info("%d kernel(s) kept warm, ready in %.1f s", capacity, self.ready_seconds)
        if self.ready_seconds is not None and warm != self.warm_reported:
            self.warm_reported = warm
            if self.ready_file:
                state = {"warm_kernels": capacity, "warm": warm, "seconds": self.ready_seconds}
                write_atomically(self.ready_file, json.dumps(state))


def main(argv: list[str] | None = None) -> None:
    """Run the server (``python -m socanalysis.dashboards.server [Voilà options] [notebook or folder]``)."""
    DashboardServer.launch_instance(argv)


if __name__ == "__main__":
    # run the imported module's classes, not this script's copies: the kernel manager class is
    # named in the configuration by its import path, and the checks compare classes
    from socanalysis.dashboards.server import main as imported_main

    imported_main()
