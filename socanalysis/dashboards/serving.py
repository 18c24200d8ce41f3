"""Serve the dashboards with Voilà: localhost, a fixed port, code hidden, uploads up to the limit.

:func:`voila_command` builds the command line and environment (tests and benchmarks start it
themselves); :func:`serve` runs it until Ctrl-C.

* Voilà listens on 127.0.0.1 by default, on a fixed port: ``--Voila.port_retries=0`` makes a taken
  port fail loudly instead of moving silently to another.
* Light or dark for the whole server (``dark``), or per page with ``?theme=dark`` / ``?theme=light``.
* Code is hidden (Voilà strips the sources); the ``socanalysis`` template is Voilà's ``lab`` template
  without its CDN stylesheet links, so a page makes no off-host request.
* Uploads travel over the kernel's websocket: the limit is raised to ``upload_limit_mb`` (200 MiB by
  default) and the pages say so.
* Sharing on a network (``ip="0.0.0.0"``) needs a token; it is passed to Voilà in a private config
  file, never on the command line where other users of the machine could read it.

>>> launch = voila_command("portfolio", port=8899)
>>> launch.url
'http://127.0.0.1:8899/'
>>> "--Voila.port_retries=0" in launch.argv and "--template=socanalysis" in launch.argv
True
>>> launch.cleanup()
"""

from __future__ import annotations

import ipaddress
import json
import os
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
from .common import DEFAULT_UPLOAD_LIMIT_MB, ENV_BRANDING, ENV_PORTFOLIO, ENV_THEME, ENV_UPLOAD_LIMIT
from .notebooks import DASHBOARDS, write_notebooks

__all__ = ["TEMPLATE", "VoilaLaunch", "serve", "template_root", "voila_command"]

TEMPLATE = "socanalysis"
"""The Voilà template the dashboards use (under :func:`template_root`)."""


def template_root() -> Path:
    """The folder to add to ``JUPYTER_PATH`` so Voilà finds the ``socanalysis`` template."""
    return Path(str(files("socanalysis.dashboards") / "share"))


@dataclass
class VoilaLaunch:
    """How to start Voilà: ``argv`` and ``env`` for :class:`subprocess.Popen`, and the URL to open.

    ``cleanup()`` removes the temporary folders (the notebooks written, the private config).
    """

    argv: list[str]
    env: dict[str, str]
    url: str
    notebooks: Path
    temporary: list[Path] = field(default_factory=list)

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
    show_tracebacks: bool = False,
    check_port: bool = True,
    extra_args: Sequence[str] = (),
) -> VoilaLaunch:
    """The command line and environment that start Voilà on the dashboards.

    Parameters
    ----------
    notebook : str or os.PathLike, optional
        One dashboard (``"portfolio"``, ``"meeting"``, ``"leads"``, ``"explainer"``, or a notebook
        name such as ``"portfolio_dashboard"``) or a notebook's path; None serves the list of all
        four dashboards at ``/``, each at ``/voila/render/<notebook>.ipynb``.
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
        The firm's branding (YAML: firm name, colours, logo).
    upload_limit_mb : int
        The largest upload, in MiB (the websocket message limit; shown on the pages).
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
    if isinstance(upload_limit_mb, bool) or not isinstance(upload_limit_mb, int) or upload_limit_mb < 1:
        raise SocAnalysisError(f"upload_limit_mb={upload_limit_mb!r}: give a whole number of MiB, at least 1")
    temporary: list[Path] = []
    folder = Path(tempfile.mkdtemp(prefix="socanalysis-dashboards-"))
    temporary.append(folder)
    try:
        write_notebooks(folder, DASHBOARDS.values())
        target = _resolve(notebook, folder)
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
        query = ""
        if token:
            token = secrets.token_urlsafe(24) if token is True else str(token)
            config = Path(tempfile.mkdtemp(prefix="socanalysis-voila-config-"))
            temporary.append(config)
            os.chmod(config, 0o700)
            (config / "voila.json").write_text(json.dumps({"Voila": {"token": token}}), encoding="utf-8")
            env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
                [str(config), *([env["JUPYTER_CONFIG_PATH"]] if env.get("JUPYTER_CONFIG_PATH") else [])]
            )
            query = f"?token={token}"
        argv = [
            sys.executable,
            "-m",
            "voila",
            str(target),
            f"--port={port}",
            f"--Voila.ip={ip}",
            "--Voila.port_retries=0",
            f"--template={TEMPLATE}",
            f"--theme={'dark' if dark else 'light'}",
            "--VoilaConfiguration.allow_theme_override=YES",
            "--strip_sources=True",
            f"--show_tracebacks={show_tracebacks}",
            f"--Voila.tornado_settings={{'websocket_max_message_size': {upload_limit_mb * 1024 * 1024}}}",
            "--VoilaExecutor.timeout=300",
            "--progressive_rendering=True",
        ]
        if not open_browser:
            argv.append("--no-browser")
        argv.extend(extra_args)
        host = socket.gethostname() if ip in ("0.0.0.0", "::") else (f"[{ip}]" if ":" in ip else ip)
        url = f"http://{host}:{port}/{query}"
    except BaseException:
        for path in temporary:
            shutil.rmtree(path, ignore_errors=True)
        raise
    return VoilaLaunch(argv=argv, env=env, url=url, notebooks=folder, temporary=temporary)


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
    stream: TextIO | None = None,
) -> int:
    """Serve the dashboards with Voilà until Ctrl-C; returns Voilà's exit status (0 after Ctrl-C).

    Parameters are those of :func:`voila_command`. The URL (with the token, when there is one) is
    written to ``stream`` (standard output by default) before Voilà starts.

    Raises
    ------
    SocAnalysisError
        The port is taken, the address needs a token, a file given does not exist, or an unknown
        dashboard is named.
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
    )
    out = sys.stdout if stream is None else stream
    what = "The dashboards are" if notebook is None else "The dashboard is"
    out.write(f"{what} at {launch.url}\nUploads up to {upload_limit_mb:,} MB. Press Ctrl-C to stop.\n")
    if not ipaddress.ip_address(ip).is_loopback:
        out.write("Shared on the network: send the URL with its token only to the people who should see client data.\n")
    out.flush()
    previous = None
    if threading.current_thread() is threading.main_thread():  # stop Voilà too when we are told to stop
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        process = subprocess.Popen(launch.argv, env=launch.env)
        try:
            return process.wait()
        except KeyboardInterrupt:
            stop(process)
            return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        launch.cleanup()


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
