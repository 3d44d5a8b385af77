"""Debian's Chromium, headless, driven through the DevTools protocol over a pipe (no port, no extra package).

`load(url)` opens a page, waits for its charts to render, and returns what the page did: console
errors, uncaught exceptions, failed loads, every URL it requested, and how many charts were drawn.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--remote-debugging-pipe",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
CHART_TEXT = "[...document.querySelectorAll('div.chart svg text')].map((t) => t.textContent).join(' ')"
# every chart <div> holds vega-embed's SVG once Vega has drawn it
CHARTS_DRAWN = (
    "[document.querySelectorAll('div.chart').length, document.querySelectorAll('div.chart svg.marks').length]"
)


def chromium_executable() -> str:
    """Debian's `chromium`; installed with apt-get when absent and allowed, else the test is skipped."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        packages = ["chromium", "fonts-wqy-microhei"]  # the font: Chinese labels in screenshots
        install = ["apt-get", "install", "-y", "-q", *packages]
        if subprocess.run(install, env=env, capture_output=True, timeout=1200).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
            subprocess.run(install, env=env, capture_output=True, timeout=1200)
        found = shutil.which("chromium")
        if found:
            return found
    pytest.skip("headless Chromium not found and not installable here: `apt-get install chromium` runs this test")


@dataclass
class PageVisit:
    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    charts: int = 0
    charts_drawn: int = 0
    chart_text: str = ""  # the text Vega drew: titles, axis titles, labels, legends
    screenshot: bytes | None = None

    @property
    def remote_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]


class Chromium:
    def __init__(self, executable: str, user_data_dir: Path, stderr=subprocess.DEVNULL):
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def give_pipes():  # the DevTools pipe is fd 3 (commands in) and fd 4 (replies out)
            # out of the way first: either pipe end may itself be fd 3 or 4
            commands_in, replies_out = os.dup(to_browser_read) + 100, os.dup(from_browser_write) + 100
            os.dup2(to_browser_read, commands_in)
            os.dup2(from_browser_write, replies_out)
            os.dup2(commands_in, 3)
            os.dup2(replies_out, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={user_data_dir}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=give_pipes,
            close_fds=False,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._next_id = 0
        self._messages: queue.Queue[dict] = queue.Queue()
        self._pending: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_browser, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._messages.put(json.loads(message))

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self._next_id += 1
        command = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self._to_browser, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._pending.append(message)

    def events(self) -> list[dict]:
        while True:
            try:
                self._pending.append(self._messages.get_nowait())
            except queue.Empty:
                break
        events, self._pending = self._pending, []
        return events

    def load(self, url: str, screenshot_width: int | None = None, timeout: float = 30) -> PageVisit:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable", session=session)
        self.events()
        visit = PageVisit(url)
        self.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + timeout
        loaded = False
        while time.monotonic() < deadline:
            for event in self.events():
                if event.get("sessionId") == session:
                    loaded |= event.get("method") == "Page.loadEventFired"
                    self._record(visit, event)
            if loaded:
                counts = self.send(
                    "Runtime.evaluate", {"expression": CHARTS_DRAWN, "returnByValue": True}, session=session
                )["result"]["value"]
                visit.charts, visit.charts_drawn = counts
                if visit.charts == visit.charts_drawn:
                    break
            time.sleep(0.1)
        time.sleep(0.3)  # errors logged while the last chart finishes
        visit.chart_text = self.send(
            "Runtime.evaluate",
            {"expression": CHART_TEXT, "returnByValue": True},
            session=session,
        )["result"]["value"]
        for event in self.events():
            if event.get("sessionId") == session:
                self._record(visit, event)
        if screenshot_width:
            height = self.send("Page.getLayoutMetrics", session=session)["cssContentSize"]["height"]
            self.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": screenshot_width, "height": int(min(height, 6000)), "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            time.sleep(0.5)  # the charts resize to the new width
            data = self.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
            visit.screenshot = base64.b64decode(data)
        self.send("Target.closeTarget", {"targetId": target})
        return visit

    @staticmethod
    def _record(visit: PageVisit, event: dict) -> None:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            visit.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            visit.console_errors.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            visit.console_errors.append(details.get("exception", {}).get("description") or details.get("text"))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            visit.console_errors.append(f"{params['entry']['text']} {params['entry'].get('url', '')}")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (RuntimeError, queue.Empty, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
