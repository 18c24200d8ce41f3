"""PNG, JPEG, WebP, SVG and PDF through a headless Chrome or Chromium.

:func:`export_image` and :func:`export_pdf` drive the browser through kaleido (a chart) or the
DevTools protocol (a whole report), always with MathJax off (its default is a CDN). The browser is
found as kaleido finds it (``BROWSER_PATH`` first, then the usual places); without one they raise
:class:`~socanalysis.errors.ExportError` saying what to install. One browser per path is started on
first use and kept, on a background event loop, until the interpreter exits.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from ..errors import ExportError, SocAnalysisError, require_extra
from .files import write_bytes

__all__ = ["export_image", "figure_png", "find_browser", "render_page"]

_INSTALL = (
    "install Chrome or Chromium (Debian/Ubuntu: apt-get install chromium; elsewhere: "
    "kaleido_get_chrome), or set BROWSER_PATH to the browser's executable"
)
_IMAGE_FORMATS = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".webp": "webp", ".svg": "svg", ".pdf": "pdf"}
_TIMEOUT = 120.0


def find_browser() -> str:
    """The Chrome or Chromium that images and PDFs are made with.

    ``BROWSER_PATH`` wins when set; otherwise the browser kaleido would find (its own download,
    then ``chromium``, ``google-chrome`` ... on the PATH and in the usual places).

    Raises
    ------
    ExportError
        When ``BROWSER_PATH`` is not an executable file, or no browser is found, saying what to
        install.
    """
    env = os.environ.get("BROWSER_PATH", "").strip()
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env
        raise ExportError(
            f"BROWSER_PATH={env!r} is not an executable file: point it at Chrome or "
            f"Chromium, or unset it. To get a browser, {_INSTALL}"
        )
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - any failure to look means "not found"
        found = None
    if not found:
        raise ExportError("PNG and PDF export need a Chrome or Chromium browser and none was found: " + _INSTALL)
    return str(found)


class _Chrome:
    """One headless browser per path, driven from a background event loop, started on first use."""

    _instances: dict[str, _Chrome] = {}
    _lock = threading.Lock()

    def __init__(self, path: str):
        self.path = path
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="socanalysis-browser", daemon=True)
        self._thread.start()
        self._kaleido = None

    @classmethod
    def get(cls, path: str) -> _Chrome:
        with cls._lock:
            if path not in cls._instances:
                cls._instances[path] = cls(path)
            return cls._instances[path]

    def run(self, coroutine, timeout: float = _TIMEOUT):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            raise ExportError(f"the browser at {self.path!r} did not finish within {timeout:.0f} s") from exc
        except ExportError:
            raise
        except Exception as exc:  # noqa: BLE001 - kaleido and choreographer raise many kinds
            self.reset()
            raise ExportError(f"the browser at {self.path!r} failed: {exc}. If it does not start, {_INSTALL}") from exc

    async def _figure(self, figure: dict, opts: dict) -> bytes:
        import kaleido

        if self._kaleido is None:
            browser = kaleido.Kaleido(n=1, mathjax=False, path=self.path, timeout=_TIMEOUT)
            await browser.open()
            self._kaleido = browser
        return await self._kaleido.calc_fig(figure, opts=opts)

    def figure(self, fig: go.Figure, opts: dict) -> bytes:
        return self.run(self._figure(fig.to_plotly_json(), opts))

    async def _page(self, uri: str, fmt: str, charts_expected: int, width: int) -> bytes:
        import choreographer as choreo

        browser = choreo.Browser(path=self.path, headless=True)
        await browser.open()
        try:
            tab = browser.get_tab() or await browser.create_tab("about:blank")
            await tab.send_command(
                "Emulation.setDeviceMetricsOverride",
                params={"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            )
            await tab.send_command("Page.navigate", params={"url": uri})
            check = (
                "document.readyState === 'complete' && "
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts_expected}"
            )
            deadline = time.monotonic() + 60
            while True:
                reply = await tab.send_command("Runtime.evaluate", params={"expression": check, "returnByValue": True})
                if reply.get("result", {}).get("result", {}).get("value") is True:
                    break
                if time.monotonic() > deadline:
                    raise ExportError("the report did not finish drawing its charts within 60 s")
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.3)  # let plotly settle its layout
            if fmt == "pdf":
                reply = await tab.send_command(
                    "Page.printToPDF",
                    params={
                        "printBackground": True,
                        "preferCSSPageSize": False,
                        "paperWidth": 8.27,
                        "paperHeight": 11.69,
                        "marginTop": 0.4,
                        "marginBottom": 0.4,
                        "marginLeft": 0.4,
                        "marginRight": 0.4,
                        "scale": 0.75,
                    },
                )
            else:
                size = await tab.send_command(
                    "Runtime.evaluate",
                    params={"expression": "document.documentElement.scrollHeight", "returnByValue": True},
                )
                height = int(size["result"]["result"]["value"])
                reply = await tab.send_command(
                    "Page.captureScreenshot",
                    params={
                        "format": "png",
                        "captureBeyondViewport": True,
                        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                    },
                )
            if "error" in reply:
                raise ExportError(f"the browser could not render the report: {reply['error']}")
            return base64.b64decode(reply["result"]["data"])
        finally:
            await browser.close()

    def page(self, page_html: str, fmt: str, charts_expected: int, width: int = 1200) -> bytes:
        with tempfile.TemporaryDirectory(prefix="socanalysis-") as folder:
            source = Path(folder) / "report.html"
            source.write_text(page_html, encoding="utf-8")
            return self.run(self._page(source.as_uri(), fmt, charts_expected, width))

    def reset(self) -> None:
        """Forget the kaleido browser (it is reopened on the next figure)."""
        browser, self._kaleido = self._kaleido, None
        if browser is not None:
            asyncio.run_coroutine_threadsafe(browser.close(), self._loop)

    def close(self) -> None:
        browser, self._kaleido = self._kaleido, None
        if browser is not None:
            try:
                asyncio.run_coroutine_threadsafe(browser.close(), self._loop).result(10)
            except Exception:  # noqa: BLE001 - best effort at exit
                pass
        self._loop.call_soon_threadsafe(self._loop.stop)


@atexit.register
def _close_browsers() -> None:  # pragma: no cover - runs at interpreter exit
    for chrome in list(_Chrome._instances.values()):
        chrome.close()
    _Chrome._instances.clear()


def _image_format(path: Path, format: str | None) -> str:
    if format is not None:
        key = "." + str(format).lower().lstrip(".")
        if key not in _IMAGE_FORMATS:
            raise ExportError(f"format={format!r}: accepted formats are png, jpg, jpeg, webp, svg and pdf")
        return _IMAGE_FORMATS[key]
    suffix = path.suffix.lower()
    if suffix not in _IMAGE_FORMATS:
        raise ExportError(
            f"cannot tell the image format of {str(path)!r}: give a file ending in "
            ".png, .jpg, .jpeg, .webp, .svg or .pdf, or pass format="
        )
    return _IMAGE_FORMATS[suffix]


def export_image(
    fig: go.Figure,
    path: str | os.PathLike,
    *,
    format: str | None = None,
    width: int | None = None,
    height: int | None = None,
    scale: float | None = None,
) -> Path:
    """Write a chart as PNG, JPEG, WebP, SVG or PDF through kaleido, with MathJax off.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    path : str or os.PathLike
    format : {"png", "jpg", "jpeg", "webp", "svg", "pdf"}, optional
        Taken from the file extension by default.
    width, height : int, optional
        Pixels; the figure's own size (or 700 × 500) by default.
    scale : float, optional
        Multiplies the resolution (2 for a sharp slide).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        For an unknown format, or when no browser is found (saying what to install).
    """
    if not isinstance(fig, go.Figure):
        raise SocAnalysisError(f"export_image() takes a plotly Figure, not {type(fig).__name__}")
    path = Path(path)
    fmt = _image_format(path, format)
    browser = find_browser()
    opts: dict[str, Any] = {"format": fmt}
    for key, value in (("width", width), ("height", height), ("scale", scale)):
        if value is not None:
            opts[key] = value
    data = _Chrome.get(browser).figure(fig, opts)
    write_bytes(path, data)
    return path


def figure_png(fig: go.Figure, *, width: int, height: int, scale: float = 2) -> bytes:
    """A chart as the bytes of a PNG, drawn by kaleido with MathJax off (for a slide).

    Raises
    ------
    MissingExtraError
        Without kaleido (the ``images`` extra).
    ExportError
        When no browser is found (saying what to install).
    """
    require_extra("images", "kaleido")
    browser = find_browser()
    return _Chrome.get(browser).figure(fig, {"format": "png", "width": width, "height": height, "scale": scale})


def _charts_in(page: str) -> int:
    return page.count('class="plotly-graph-div"')


def render_page(page: str, path: str | os.PathLike, width: int = 1200, kind: str = "png") -> Path:
    """The HTML ``page`` opened in the headless browser, its charts drawn, written as a PNG or a PDF (``kind``)."""
    path = Path(path)
    browser = find_browser()
    write_bytes(path, _Chrome.get(browser).page(page, kind, _charts_in(page), width))
    return path
