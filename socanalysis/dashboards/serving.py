"""Serve the dashboards with Voilà: localhost, a fixed port, code hidden, pages that open at once.

:func:`voila_command` builds the command line and environment (tests and benchmarks start it
themselves); :func:`serve` runs it until Ctrl-C. The server itself is Voilà's application with the
checks of :mod:`socanalysis.dashboards.server`.

* Voilà listens on 127.0.0.1 by default, on a fixed port: ``--Voila.port_retries=0`` makes a taken
  port fail loudly instead of moving silently to another.
* It answers only to ``localhost``, the loopback addresses and the names given (``allow_hosts``;
  with ``ip="0.0.0.0"`` also this machine's name): any other ``Host`` gets 403 (DNS rebinding), and
  so does a request, a kernel's websocket included, from a page of another origin.
* Light or dark for the whole server (``dark``), or per page with ``?theme=dark`` / ``?theme=light``.
* Code is hidden (Voilà strips the sources); the ``socanalysis`` template is Voilà's ``lab`` template
  without its CDN stylesheet links, so a page makes no off-host request.
* Each dashboard keeps ``pool_size`` kernels warm (Voilà's preheated kernels: the notebook has run
  before anyone asks), so a page opens at once; a used kernel is replaced. Each holds about
  :data:`KERNEL_MB` MB. :func:`serve` prints the URL once they are warm.
* A page's kernel ends when the page is closed, or after ``idle_minutes`` without a page connected;
  at most ``max_kernels`` kernels live at once (those kept warm included), beyond which a page
  says the dashboards are busy (HTTP 503).
* ``/`` is a home page in the firm's branding listing the dashboards.
* Uploads travel over the kernel's websocket: the limit is raised to ``upload_limit_mb`` (200 MiB by
  default) and the pages say so.
* The terminal shows the URL once the kernels are warm, then warnings and errors only (a refused
  host name, a kernel that failed to start). The dashboards' notebooks are signed as trusted in a
  store of the launch's own, and the kernels connect over Unix sockets where the system has them,
  so neither the server nor the kernels warn about them.
* Sharing on a network (``ip="0.0.0.0"``) needs a token; it is passed to Voilà in a private config
  file, never on the command line where other users of the machine could read it.

>>> launch = voila_command("portfolio", port=8899, max_kernels=8)
>>> launch.url
'http://127.0.0.1:8899/'
>>> "--Voila.port_retries=0" in launch.argv and "--template=socanalysis" in launch.argv
True
>>> launch.warm_kernels, "--DashboardKernelManager.max_kernels=8" in launch.argv
(1, True)
>>> launch.cleanup()
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TextIO

from ..errors import SocAnalysisError
from ..present import load_branding
from .common import DEFAULT_UPLOAD_LIMIT_MB, ENV_BRANDING, ENV_PORTFOLIO, ENV_THEME, ENV_UPLOAD_LIMIT
from .notebooks import DASHBOARDS, write_notebooks

__all__ = [
    "DEFAULT_IDLE_MINUTES",
    "DEFAULT_POOL_SIZE",
    "KERNEL_MB",
    "TEMPLATE",
    "VoilaLaunch",
    "default_max_kernels",
    "serve",
    "template_root",
    "voila_command",
    "wait_until_ready",
    "wait_until_warm",
]

TEMPLATE = "socanalysis"
"""The Voilà template the dashboards use (under :func:`template_root`)."""

DEFAULT_IDLE_MINUTES = 10.0
"""A kernel with no page connected for this long is ended (``--idle-minutes``)."""

DEFAULT_POOL_SIZE = 1
"""Kernels kept warm per dashboard (``--pool-size``)."""

MAX_POOL_SIZE = 4

KERNEL_MB = 250
"""About how much memory one dashboard kernel holds (MB), measured with the sample data; a
portfolio or lead list of many rows adds to it."""

MAX_KERNELS_CEILING = 32
"""The default cap on live kernels never exceeds this."""

FILL_DELAY_SECONDS = 5
"""A used warm kernel is replaced this long after a page took it, once that page has drawn."""


def template_root() -> Path:
    """The folder to add to ``JUPYTER_PATH`` so Voilà finds the ``socanalysis`` template."""
    return Path(str(files("socanalysis.dashboards") / "share"))


@dataclass
class VoilaLaunch:
    """How to start Voilà: ``argv`` and ``env`` for :class:`subprocess.Popen`, and the URL to open.

    ``ready_file`` appears once the ``warm_kernels`` kernels kept warm wait for their pages (see
    :func:`wait_until_ready`); at most ``max_kernels`` kernels live at once. ``cleanup()`` removes
    the temporary folders (the notebooks and pages written, the private config).
    """

    argv: list[str]
    env: dict[str, str]
    url: str
    notebooks: Path
    temporary: list[Path] = field(default_factory=list)
    ready_file: Path | None = None
    warm_kernels: int = 0
    max_kernels: int = 0

    def cleanup(self) -> None:
        for folder in self.temporary:
            shutil.rmtree(folder, ignore_errors=True)
        self.temporary = []


def _check_ip(ip: str, token: str | bool | None) -> None:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        raise SocAnalysisError(
            f"ip={ip!r} is not an IP address; give 127.0.0.1 (this machine only) or "
            "0.0.0.0 (every network interface, with a token)"
        ) from None
    if not address.is_loopback and not token:
        raise SocAnalysisError(
            f"ip={ip!r} shares the dashboards with the network, and client data with them: give a token "
            "(socanalysis dashboard --ip 0.0.0.0 --token SECRET) and send the URL with it only to colleagues, "
            "or keep the default 127.0.0.1 and put an authenticating proxy in front"
        )


def _check_port(ip: str, port: int) -> None:
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise SocAnalysisError(f"port={port!r}: give a whole number from 1 to 65535, e.g. 8866")
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((ip, port))
        except OSError as exc:
            raise SocAnalysisError(
                f"port {port} on {ip} is not free ({exc.strerror or exc}); stop what uses it "
                "or pick another port with --port"
            ) from None


def _resolve(notebook: str | os.PathLike | None, folder: Path) -> Path:
    """The path Voilà serves: the folder of dashboards, or one notebook."""
    if notebook is None:
        return folder
    text = str(notebook)
    stem = Path(text).stem if text.endswith(".ipynb") else text
    if stem in DASHBOARDS:
        stem = DASHBOARDS[stem]
    if stem in DASHBOARDS.values() and not Path(text).is_file():
        return folder / f"{stem}.ipynb"
    path = Path(text)
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    raise SocAnalysisError(
        f"no dashboard {text!r}; give one of {', '.join(map(repr, DASHBOARDS))}, or the path of a notebook"
    )


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*\.?$")


def _check_hosts(hosts: Sequence[str]) -> list[str]:
    """The ``allow_hosts`` names, checked: host names (``dashboards.firm.example``) or IP addresses."""
    if isinstance(hosts, str):
        hosts = [hosts]
    checked = []
    for host in hosts:
        text = str(host).strip()
        bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
        try:
            ipaddress.ip_address(bare)
        except ValueError:
            if not _HOST_NAME.match(text) or bare.replace(".", "").isdigit():
                raise SocAnalysisError(
                    f"--allow-host {text!r}: give a host name such as dashboards.firm.example, or an IP "
                    "address, without scheme, port or wildcard"
                ) from None
        checked.append(bare.lower())
    return checked


def _whole(value, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        accepted = f"from {low} to {high}" if high is not None else f"{low} or more"
        flag = "--" + name.replace("_mb", "").replace("_", "-")
        raise SocAnalysisError(f"{name}={value!r} ({flag}): give a whole number {accepted}")
    return value


def default_max_kernels(warm_kernels: int = len(DASHBOARDS) * DEFAULT_POOL_SIZE) -> int:
    """The default cap on live kernels: as many as a quarter of this machine's memory holds at :data:`KERNEL_MB`.

    At least the kernels kept warm and two pages, at most :data:`MAX_KERNELS_CEILING`; 12 when the
    memory cannot be read. A laptop with 16 GB gets 16 (about 4 GB of kernels).

    >>> 6 <= default_max_kernels(4) <= MAX_KERNELS_CEILING
    True
    """
    try:
        total_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (AttributeError, ValueError, OSError):
        total_mb = 0
    fitting = total_mb // 4 // KERNEL_MB if total_mb > 0 else 12
    return int(min(max(fitting, warm_kernels + 2), max(MAX_KERNELS_CEILING, warm_kernels + 2)))


def voila_command(
    notebook: str | os.PathLike | None = None,
    *,
    port: int = 8866,
    ip: str = "127.0.0.1",
    token: str | bool | None = None,
    open_browser: bool = False,
    dark: bool = False,
    portfolio: str | os.PathLike | None = None,
    branding: str | os.PathLike | None = None,
    upload_limit_mb: int = DEFAULT_UPLOAD_LIMIT_MB,
    allow_hosts: Sequence[str] = (),
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    max_kernels: int | None = None,
    pool_size: int = DEFAULT_POOL_SIZE,
    show_tracebacks: bool = False,
    check_port: bool = True,
    extra_args: Sequence[str] = (),
) -> VoilaLaunch:
    """The command line and environment that start Voilà on the dashboards.

    Parameters
    ----------
    notebook : str or os.PathLike, optional
        One dashboard (``"portfolio"``, ``"meeting"``, ``"leads"``, ``"explainer"``, or a notebook
        name such as ``"portfolio_dashboard"``) or a notebook's path; None serves the home page at
        ``/`` and the four dashboards, each at ``/voila/render/<notebook>.ipynb``.
    port : int
        The port; taken already, the launch fails (``--Voila.port_retries=0``).
    ip : str
        ``127.0.0.1`` (this machine only) or another address, e.g. ``0.0.0.0``, which needs a token.
    token : str, True or None
        Require ``?token=...`` in the URL; True makes a random one.
    open_browser : bool
        Open the URL in the default browser.
    dark : bool
        The dark theme (Voilà's and the dashboards').
    portfolio : path, optional
        A portfolio file the portfolio dashboard opens on instead of the sample.
    branding : path, optional
        The firm's branding (YAML: firm name, colours, logo), for the dashboards and the home page.
    upload_limit_mb : int
        The largest upload, in MiB (the websocket message limit; shown on the pages).
    allow_hosts : sequence of str
        Host names or addresses the server answers to besides ``localhost`` and the loopback
        addresses (and, with ``ip="0.0.0.0"``, this machine's name): the names people type to
        reach it, or the name a reverse proxy forwards.
    idle_minutes : float
        End a kernel after this many minutes without activity and with no page connected; 0 never.
    max_kernels : int, optional
        The most kernels alive at once, those kept warm included; by default
        :func:`default_max_kernels`.
    pool_size : int
        Kernels kept warm per dashboard (0 to 4); 0 starts a kernel for each page as it is opened.
    show_tracebacks : bool
        Show Python tracebacks of failed cells in the page (for tests only).
    check_port : bool
        Fail now with a clear message when the port is taken.
    extra_args : sequence of str
        More Voilà options.

    Returns
    -------
    VoilaLaunch
    """
    _check_ip(ip, token)
    if check_port:
        _check_port(ip, port)
    hosts, warm, max_kernels = _check_settings(
        notebook, upload_limit_mb, allow_hosts, idle_minutes, pool_size, max_kernels
    )
    temporary: list[Path] = []
    folder = Path(tempfile.mkdtemp(prefix="socanalysis-dashboards-"))
    temporary.append(folder)
    try:
        trust = Path(tempfile.mkdtemp(prefix="socanalysis-trust-"))
        temporary.append(trust)
        _sign(write_notebooks(folder, DASHBOARDS.values()), trust)
        target = _resolve(notebook, folder)
        env = _environment(ip, dark, upload_limit_mb, portfolio, branding)
        pages = Path(tempfile.mkdtemp(prefix="socanalysis-pages-"))
        temporary.append(pages)
        from .home import write_pages

        shown = [target.stem] if notebook is not None and target.stem in DASHBOARDS.values() else None
        write_pages(pages, load_branding(env.get(ENV_BRANDING)), notebooks=shown)
        ready_file = pages / "ready.json"
        config = Path(tempfile.mkdtemp(prefix="socanalysis-voila-config-"))
        temporary.append(config)
        query = _write_config(config, upload_limit_mb, token)
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(config), *([env["JUPYTER_CONFIG_PATH"]] if env.get("JUPYTER_CONFIG_PATH") else [])]
        )
        argv = _voila_argv(
            target,
            port=port,
            ip=ip,
            dark=dark,
            show_tracebacks=show_tracebacks,
            max_kernels=max_kernels,
            idle_minutes=idle_minutes,
            pages=pages,
            ready_file=ready_file,
            hosts=hosts,
            pool_size=pool_size,
            open_browser=open_browser,
        )
        argv.append(f"--NotebookNotary.data_dir={trust}")
        argv.extend(_kernel_transport())
        argv.extend(extra_args)
        host = socket.gethostname() if ip in ("0.0.0.0", "::") else (f"[{ip}]" if ":" in ip else ip)
        url = f"http://{host}:{port}/{query}"
    except BaseException:
        for path in temporary:
            shutil.rmtree(path, ignore_errors=True)
        raise
    return VoilaLaunch(
        argv=argv,
        env=env,
        url=url,
        notebooks=folder,
        temporary=temporary,
        ready_file=ready_file,
        warm_kernels=warm,
        max_kernels=max_kernels,
    )


def _sign(notebooks: Sequence[Path], trust: Path) -> None:
    """Sign the dashboards' notebooks as trusted, with a secret and signature store of their own in ``trust``.

    The server checks every notebook it opens against the signatures of ``--NotebookNotary.data_dir``
    and says "Notebook ... is not trusted" of one it cannot find there; the notebooks are this
    package's own, written a moment ago, so they are signed in a folder only this launch reads
    (never the user's Jupyter data folder, whose secret would then trust them everywhere). A
    notebook given by path is not signed: the server's warning about it stays.
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    os.chmod(trust, 0o700)
    notary = NotebookNotary(data_dir=str(trust))
    try:
        for path in notebooks:
            notary.sign(nbformat.read(path, as_version=nbformat.NO_CONVERT))
    finally:
        notary.store.close()


_IPC_ROOT_MAX = 35  # a kernel's socket path adds about 70 characters; the limit is 104 (macOS) or 108 (Linux)


def _kernel_transport() -> list[str]:
    """Voilà's options that connect the kernels over local sockets, not TCP, where the system has them.

    Over TCP each kernel warns at start that it runs "over TCP without encryption": on the loopback
    address, but reachable by every user of the machine who holds the key. Unix sockets live in
    the server's private connection folder instead, and the kernels say nothing. On Windows, or
    when no temporary folder has a path short enough for a socket, the kernels stay on TCP.

    >>> opts = _kernel_transport()
    >>> opts == [] or opts[0] == "--KernelManager.transport=ipc"
    True
    """
    if os.name != "posix":
        return []
    for root in (tempfile.gettempdir(), "/tmp"):
        if len(root) <= _IPC_ROOT_MAX and os.path.isdir(root) and os.access(root, os.W_OK | os.X_OK):
            return ["--KernelManager.transport=ipc", f"--Voila.connection_dir_root={root}"]
    return []


def _write_config(config: Path, upload_limit_mb: int, token) -> str:
    """Write the server's settings into ``config/voila.json``; the URL's query (the token), if any.

    A config file of its own: a dict given on the command line is parsed by a deprecated path of
    traitlets, which warns at every start.
    """
    settings: dict = {"tornado_settings": {"websocket_max_message_size": upload_limit_mb * 1024 * 1024}}
    query = ""
    if token:
        settings["token"] = secrets.token_urlsafe(24) if token is True else str(token)
        query = f"?token={settings['token']}"
    os.chmod(config, 0o700)
    (config / "voila.json").write_text(json.dumps({"Voila": settings}), encoding="utf-8")
    return query


def _check_settings(notebook, upload_limit_mb, allow_hosts, idle_minutes, pool_size, max_kernels):
    """The served hosts, the kernels kept warm and the cap on live kernels, each setting checked."""
    _whole(upload_limit_mb, "upload_limit_mb", 1)
    hosts = _check_hosts(allow_hosts)
    if isinstance(idle_minutes, bool) or not isinstance(idle_minutes, (int, float)) or not 0 <= idle_minutes <= 10_080:
        raise SocAnalysisError(
            f"idle_minutes={idle_minutes!r} (--idle-minutes): give minutes from 0 (never) to 10080 (a week), e.g. 10"
        )
    _whole(pool_size, "pool_size", 0, MAX_POOL_SIZE)
    served = 1 if notebook is not None else len(DASHBOARDS)
    warm = pool_size * served
    if max_kernels is None:
        max_kernels = default_max_kernels(warm)
    _whole(max_kernels, "max_kernels", 1)
    if max_kernels <= warm:
        raise SocAnalysisError(
            f"max_kernels={max_kernels} (--max-kernels) leaves no room for a page beside the {warm} kernel(s) "
            f"kept warm ({pool_size} for each of {served} dashboard(s)); give at least {warm + 1}, or a smaller "
            "--pool-size"
        )
    return hosts, warm, max_kernels


def _environment(ip, dark, upload_limit_mb, portfolio, branding) -> dict[str, str]:
    """The server's environment: the dashboards' template, theme, upload limit, portfolio and branding."""
    env = dict(os.environ)
    jupyter_path = [str(template_root())]
    if env.get("JUPYTER_PATH"):
        jupyter_path.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(jupyter_path)
    env[ENV_THEME] = "dark" if dark else "light"
    env[ENV_UPLOAD_LIMIT] = str(upload_limit_mb)
    for key, value in ((ENV_PORTFOLIO, portfolio), (ENV_BRANDING, branding)):
        if value is not None:
            path = Path(value)
            if not path.is_file():
                raise SocAnalysisError(f"{key.split('_')[-1].lower()} file {str(value)!r} does not exist")
            env[key] = str(path.resolve())
        else:
            env.pop(key, None)
    # a kernel kept warm asks the server for its page's request: on the address it listens on
    env["VOILA_APP_IP"] = "127.0.0.1" if ip in ("0.0.0.0", "::") else ip
    return env


def _voila_argv(
    target,
    *,
    port,
    ip,
    dark,
    show_tracebacks,
    max_kernels,
    idle_minutes,
    pages,
    ready_file,
    hosts,
    pool_size,
    open_browser,
) -> list[str]:
    """Voilà's command line: the page template, the kernel manager and its limits, the pool kept warm."""
    idle_seconds = round(idle_minutes * 60)
    argv = [
        sys.executable,
        "-m",
        "socanalysis.dashboards.server",
        str(target),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        f"--theme={'dark' if dark else 'light'}",
        "--VoilaConfiguration.allow_theme_override=YES",
        "--VoilaConfiguration.allow_template_override=NO",
        "--strip_sources=True",
        f"--show_tracebacks={show_tracebacks}",
        "--VoilaExecutor.timeout=300",
        "--VoilaConfiguration.multi_kernel_manager_class=socanalysis.dashboards.server.DashboardKernelManager",
        f"--DashboardKernelManager.max_kernels={max_kernels}",
        f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
        f"--MappingKernelManager.cull_interval={min(60, max(1, idle_seconds // 10))}",
        "--MappingKernelManager.cull_connected=False",
        f"--DashboardServer.pages_dir={pages}",
        f"--DashboardServer.ready_file={ready_file}",
        *(f"--DashboardServer.allow_hosts={host}" for host in hosts),
    ]
    if pool_size:
        argv += [
            "--preheat_kernel=True",
            f"--pool_size={pool_size}",
            "--progressive_rendering=False",
            f"--VoilaKernelManager.fill_delay={FILL_DELAY_SECONDS}",
        ]
    else:
        argv.append("--progressive_rendering=True")
    if not open_browser:
        argv.append("--no-browser")
    return argv


def serve(
    notebook: str | os.PathLike | None = None,
    port: int = 8866,
    ip: str = "127.0.0.1",
    token: str | bool | None = None,
    open_browser: bool = False,
    dark: bool = False,
    *,
    portfolio: str | os.PathLike | None = None,
    branding: str | os.PathLike | None = None,
    upload_limit_mb: int = DEFAULT_UPLOAD_LIMIT_MB,
    allow_hosts: Sequence[str] = (),
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    max_kernels: int | None = None,
    pool_size: int = DEFAULT_POOL_SIZE,
    stream: TextIO | None = None,
) -> int:
    """Serve the dashboards with Voilà until Ctrl-C; returns Voilà's exit status (0 after Ctrl-C).

    Parameters are those of :func:`voila_command`. The URL (with the token, when there is one) is
    written to ``stream`` (standard output by default) once the kernels kept warm are ready, so that
    the first page opens at once, with how long warming took. The server logs warnings and errors
    only (a refused host name, a kernel that failed to start); its routine notes are left out.

    Raises
    ------
    SocAnalysisError
        The port is taken, the address needs a token, a file given does not exist, an unknown
        dashboard is named, or a setting is out of range.
    """
    launch = voila_command(
        notebook,
        port=port,
        ip=ip,
        token=token,
        open_browser=open_browser,
        dark=dark,
        portfolio=portfolio,
        branding=branding,
        upload_limit_mb=upload_limit_mb,
        allow_hosts=allow_hosts,
        idle_minutes=idle_minutes,
        max_kernels=max_kernels,
        pool_size=pool_size,
    )
    out = sys.stdout if stream is None else stream
    what = "The dashboards are" if notebook is None else "The dashboard is"
    if launch.warm_kernels:
        out.write(f"Starting: warming {launch.warm_kernels} kernel(s), about {launch.warm_kernels * KERNEL_MB:,} MB…\n")
        out.flush()
    previous = None
    if threading.current_thread() is threading.main_thread():  # stop Voilà too when we are told to stop
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        started = time.monotonic()
        # the server's own notes (kernels started, Voilà's URL before the pages are warm) are for
        # whoever debugs it: the terminal shows the URL below once warm, and warnings and errors
        process = subprocess.Popen([*launch.argv, "--Voila.log_level=WARN"], env=launch.env)
        try:
            if wait_until_ready(launch, process) is None:  # Voilà ended before it was ready; it said why
                return process.wait()
            warmed = f"Ready in {time.monotonic() - started:.0f} s" + (
                f", {launch.warm_kernels} kernel(s) kept warm." if launch.warm_kernels else "."
            )
            idle = f" or after {idle_minutes:g} idle minutes" if idle_minutes else ""
            out.write(
                f"{what} at {launch.url}\n{warmed} At most {launch.max_kernels} kernels at once; "
                f"a page's kernel ends when it is closed{idle}.\n"
                f"Uploads up to {upload_limit_mb:,} MB. Press Ctrl-C to stop.\n"
            )
            if not ipaddress.ip_address(ip).is_loopback:
                out.write(
                    "Shared on the network: send the URL with its token only to the people who should see "
                    "client data.\n"
                )
            out.flush()
            return process.wait()
        except KeyboardInterrupt:
            stop(process)
            return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        launch.cleanup()


def wait_until_ready(launch: VoilaLaunch, process: subprocess.Popen, seconds: float | None = None) -> dict | None:
    """Wait until the server started from ``launch`` has its kernels kept warm (its ready file appears).

    Returns what the server wrote (``{"warm_kernels": N, "seconds": S}``), or None when ``process``
    ended first or ``seconds`` passed.
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    while process.poll() is None and (deadline is None or time.monotonic() < deadline):
        if launch.ready_file is not None and launch.ready_file.is_file():
            try:
                return json.loads(launch.ready_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
        time.sleep(0.1)
    return None


def wait_until_warm(launch: VoilaLaunch, process: subprocess.Popen, seconds: float = 180) -> bool:
    """Whether every kernel kept warm waits for a page again (after pages took some) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        state = wait_until_ready(launch, process, max(deadline - time.monotonic(), 0))
        if state is None:
            return False
        if state.get("warm", 0) >= state.get("warm_kernels", 0):
            return True
        time.sleep(0.2)
    return False


def wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 90) -> bool:
    """Whether ``url`` answered with 200 before ``process`` (a Voilà server) exited or ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def stop(process: subprocess.Popen, seconds: float = 10) -> None:
    """Stop a Voilà server: ask, then insist after ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
