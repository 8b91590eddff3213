"""A whole class on one server: simulated students speaking Streamlit's own websocket protocol.

Each student does what a browser does when a teacher shares a link: GET the page (the xsrf and
proxy cookies come back with it), open `/_stcore/stream` with the same subprotocols and cookies,
send a `rerun_script` BackMsg for the deep-linked page, then move one slider every 2 s (a
`rerun_script` with that widget's new value, and the widget's fragment id when it lives in a
fragment) until the time is up. Latency = BackMsg sent -> `script_finished` received.

Run (prints tables; takes ~2 x (len(N) x duration + warm-up)):

    python benchmarks/classroom.py                           # N = 1,10,30,60,100, 30 s each, app + floor
    python benchmarks/classroom.py -n 1,10 -d 8              # a quick run
    python benchmarks/classroom.py --per-page                # CPU per interaction per page vs floor
    python benchmarks/classroom.py --soak 10000              # RSS after 10 000 interactions vs after 1 000
    python benchmarks/classroom.py --memory -n ""                # RSS per session at 1, 30, 100 sessions
    python benchmarks/classroom.py --validate                # same elements as a real browser (Playwright)
    python benchmarks/classroom.py --url http://127.0.0.1:8500 --pids 123,456 -n 120   # behind a proxy
    python benchmarks/classroom.py --set runner.postScriptGC=true   # A/B a server option

The floor is `benchmarks/floor_app.py` (one slider, one chart), served the same way in the same run:
the machine is shared and noisy, so ratios against it matter more than absolute figures.
Server CPU and RSS come from /proc (Linux); the load average is printed with every table.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "benchmarks/floor_app.py"

# Deep link -> the slider a student moves there (the page's `ui.state` key, "<page>.<name>"; on a ui.stepper,
# its report once the student stops stepping).
PAGES = {
    "derivatives": "derivatives.x0",
    "gradients": "gradients.w1",
    "gradient_descent": "gradient_descent.w1",
    "backprop": "backprop.hidden",
    "activations": "activations.xmax",
    "jacobians": "jacobians.m",
    "autodiff": "autodiff.step",
    "losses": "losses.y",  # its stepper over y and ŷ₀ (the first axis names it)
    "vanishing_gradients": "vanishing_gradients.depth",
    "gradient_checking": "gradient_checking.eps",
}
# The default class: the five pages, so runs stay comparable (--pages picks others from PAGES).
CLASS_PAGES = "derivatives,gradients,gradient_descent,backprop,activations"
FLOOR_PAGES = {"": "floor.a"}
TIMEOUT = 60.0  # one page load or interaction slower than this counts as an error


# -- the server's process: CPU seconds and RSS from /proc ------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return total


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(
    base: str, path: str, cookies: dict[str, str] | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """GET base+path; returns status, body and the cookies the response set."""
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=TIMEOUT)
    try:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        conn.request("GET", u.path.rstrip("/") + path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        got = {}
        for h in r.headers.get_all("Set-Cookie") or []:
            k, _, rest = h.partition("=")
            got[k.strip()] = rest.split(";", 1)[0]
        return r.status, body, got
    finally:
        conn.close()


class Server:
    """`streamlit run SCRIPT` on a free port, from the project root (so .streamlit/config.toml applies)."""

    def __init__(self, script: str, options: list[str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *options,
        ]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if http_get(self.url, "/_stcore/health")[1] == b"ok":
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        raise RuntimeError("streamlit did not become healthy in 60 s")

    @property
    def pids(self) -> list[int]:
        return [self.proc.pid]

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def server_metrics(base: str) -> dict[str, float]:
    """active sessions and session-state bytes from Streamlit's /_stcore/metrics."""
    out = {"active_sessions": 0.0, "session_state_bytes": 0.0}
    try:
        status, body, _ = http_get(base, "/_stcore/metrics")
    except OSError:
        return out
    if status != 200:
        return out
    for line in body.decode().splitlines():
        if line.startswith("active_sessions"):
            out["active_sessions"] += float(line.split()[-1])
        elif line.startswith("cache_memory_bytes") and "st_session_state" in line:
            out["session_state_bytes"] += float(line.split()[-1])
    return out


# -- one simulated student ---------------------------------------------------------------------------


@dataclass
class Widget:
    id: str
    fragment_id: str
    lo: float
    hi: float
    step: float
    is_int: bool
    value: float
    options: tuple[str, ...] = ()  # a select_slider's formatted options: it sends one of them, not its index
    stepper: bool = False  # a ui.stepper: the browser steps alone and reports {"frame": k} once it stops
    at: tuple[int, ...] = ()  # a stepper over several sliders: the position; a move reports {"at": [k, ...]}


@dataclass
class Stats:
    loads: list[float] = field(default_factory=list)
    interactions: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: Stats) -> None:
        self.loads += other.loads
        self.interactions += other.interactions
        for k, v in other.by_page.items():
            self.by_page.setdefault(k, []).extend(v)
        self.errors += other.errors


class Student:
    """One browser tab: a websocket session on one page, keeping the element tree it was sent."""

    def __init__(self, base: str, page: str, key: str, rng: random.Random, query: str = ""):
        self.base, self.page, self.key, self.rng = base, page, key, rng
        self.query = query  # a link's query string ("hidden=5"): the page opens on it, as the browser would
        self.ws = None
        self.elements: dict[tuple[int, ...], str] = {}  # delta path -> element type, this run
        self.widgets: dict[str, Widget] = {}
        self.page_hash = ""
        self.finished = asyncio.Event()
        self.finish_status = ""
        self.exceptions: list[str] = []
        self.reader: asyncio.Task | None = None

    async def open(self) -> float:
        t0 = time.perf_counter()
        loop = asyncio.get_running_loop()
        status, _, cookies = await loop.run_in_executor(None, http_get, self.base, "/" + self.page)
        if status != 200:
            raise RuntimeError(f"GET /{self.page}: HTTP {status}")
        # like the browser: poll health before connecting (it also sets Streamlit's xsrf cookie)
        cookies.update((await loop.run_in_executor(None, http_get, self.base, "/_stcore/health", cookies))[2])
        u = urllib.parse.urlsplit(self.base)
        ws_url = f"ws://{u.netloc}{u.path.rstrip('/')}/_stcore/stream"
        protocols = ["streamlit"] + ([cookies["_streamlit_xsrf"]] if "_streamlit_xsrf" in cookies else [])
        headers = {"Origin": f"http://{u.netloc}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.ws = await websockets.connect(
            ws_url,
            subprotocols=protocols,
            additional_headers=headers,
            max_size=None,
            open_timeout=TIMEOUT,
            ping_interval=None,
        )
        self.reader = asyncio.create_task(self._read())
        await self._rerun(page_name=self.page)
        return time.perf_counter() - t0

    async def _rerun(self, widget: Widget | None = None, page_name: str = "") -> None:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query if widget is None else ""
        cs.page_script_hash = self.page_hash
        cs.page_name = page_name
        if widget is not None:
            ws = cs.widget_states.widgets.add()
            ws.id = widget.id
            if (
                widget.stepper and widget.at
            ):  # several sliders: the first one moved, the others where they are
                ws.json_value = json.dumps({"at": [int(widget.value), *widget.at[1:]]})
            elif widget.stepper:  # what setStateValue("frame", k) sends: the component's whole state, as JSON
                ws.json_value = json.dumps({"frame": int(widget.value)})
            elif widget.options:
                ws.string_array_value.data.append(widget.options[int(widget.value)])
            else:
                ws.double_array_value.data.append(widget.value)
            if widget.fragment_id:
                cs.fragment_id = widget.fragment_id
        self.finished.clear()
        self.elements = {} if widget is None or not widget.fragment_id else self.elements
        await self.ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self.finished.wait(), TIMEOUT)
        except TimeoutError:
            raise RuntimeError(f"{self.page}: no script_finished within {TIMEOUT:.0f} s") from None
        if self.finish_status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
            raise RuntimeError(f"{self.page}: script finished with {self.finish_status}")
        if self.exceptions:
            raise RuntimeError(f"{self.page}: exception on the page: {self.exceptions[0][:200]}")

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                fm = ForwardMsg()
                fm.ParseFromString(data)
                kind = fm.WhichOneof("type")
                if kind == "delta":
                    self._on_delta(fm)
                elif kind == "navigation":
                    self.page_hash = fm.navigation.page_script_hash
                elif kind == "new_session" and not self.page_hash:
                    self.page_hash = fm.new_session.page_script_hash
                elif kind == "page_not_found":
                    self.exceptions.append(f"page not found: {fm.page_not_found.page_name}")
                elif kind == "script_finished":
                    status = ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)
                    if status != "FINISHED_EARLY_FOR_RERUN":
                        self.finish_status = status
                        self.finished.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.finish_status = self.finish_status or "CONNECTION_CLOSED"
            self.finished.set()

    def _on_delta(self, fm: ForwardMsg) -> None:
        delta = fm.delta
        path = tuple(fm.metadata.delta_path)
        if delta.WhichOneof("type") == "add_block":
            self.elements[path] = "block"
            return
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        kind = el.WhichOneof("type")
        self.elements[path] = kind
        if kind == "exception":
            self.exceptions.append(el.exception.message)
        elif kind == "bidi_component" and self.key:
            self._stepper(delta, el)
        elif (
            kind == "slider"
            and el.slider.id.endswith("-" + self.key)
            or (kind == "slider" and self.key == "" and not self.widgets)
        ):
            s = el.slider
            if s.type == s.SELECT_SLIDER:
                lo, hi, step = 0, len(s.options) - 1, 1
            else:
                lo, hi, step = s.min, s.max, s.step or 1
            value = s.value[0] if s.value else s.default[0]
            self.widgets[self.key] = Widget(
                s.id,
                delta.fragment_id,
                lo,
                hi,
                step,
                s.data_type == s.INT or s.type == s.SELECT_SLIDER,
                value,
                tuple(s.options) if s.type == s.SELECT_SLIDER else (),
            )

    def _stepper(self, delta, el) -> None:
        """A ui.stepper under this page's key: a student's move there is many steps drawn by the browser and
        one report once they stop (one rerun of the stepper's fragment): that report is what is sent."""
        c = el.bidi_component
        if not (f"-{self.key}." in c.id and c.id.endswith("._stepper")):
            return
        data = json.loads(c.json) if c.json else {}
        data = json.loads(data) if isinstance(data, str) else data  # the stepper sends one JSON string
        n = int(data.get("n", 1))
        at = tuple(int(k) for k in data.get("at") or ()) if len(data.get("axes") or ()) > 1 else ()
        first = at[0] if at else int(data.get("frame", 0))
        self.widgets[self.key] = Widget(
            c.id, delta.fragment_id, 0, max(0, n - 1), 1, True, first, stepper=True, at=at
        )

    async def move(self) -> float:
        w = self.widgets.get(self.key)
        if w is None:
            raise RuntimeError(f"{self.page}: slider {self.key!r} not on the page")
        n = int(round((w.hi - w.lo) / w.step))
        choices = [k for k in range(n + 1) if abs(w.lo + k * w.step - w.value) > w.step / 2]
        v = w.lo + self.rng.choice(choices) * w.step
        w.value = float(int(round(v))) if w.is_int else round(v, 10)
        t0 = time.perf_counter()
        await self._rerun(w)
        return time.perf_counter() - t0

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await self.reader

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for kind in self.elements.values():
            out[kind] = out.get(kind, 0) + 1
        return out


async def student_session(
    base: str,
    page: str,
    key: str,
    duration: float,
    interval: float,
    seed: int,
    stats: Stats,
    start_delay: float = 0.0,
) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(start_delay)
    s = Student(base, page, key, rng)
    try:
        stats.loads.append(await s.open())
        t_end = time.perf_counter() + duration
        next_at = time.perf_counter() + rng.uniform(0, interval)  # students do not move in lockstep
        while True:
            delay = next_at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if time.perf_counter() >= t_end:
                break
            dt = await s.move()
            stats.interactions.append(dt)
            stats.by_page.setdefault(page, []).append(dt)
            next_at = max(next_at + interval, time.perf_counter())
    except Exception as e:  # noqa: BLE001 - every failure is one counted error
        stats.errors.append(f"{type(e).__name__}: {e}")
    finally:
        try:
            await s.close()
        except Exception:  # noqa: BLE001
            pass


# -- a class of N -----------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(q / 100 * len(v) + 0.5)) - 1))]


@dataclass
class Row:
    app: str
    n: int
    stats: Stats
    cpu: float  # server CPU seconds during the class
    wall: float
    rss: float  # RSS with the whole class connected (MB)
    rss_before: float
    rss_after: float  # after everyone left
    sessions_during: float  # Streamlit's active_sessions near the end of the class
    sessions_after: float
    state_after: float
    load: str


async def run_class(
    base: str,
    pages: dict[str, str],
    n: int,
    duration: float,
    interval: float,
    pids: list[int],
    seed: int,
    ramp: float,
) -> Row:
    stats = Stats()
    names = list(pages)
    rss_before = rss_mb(pids) if pids else float("nan")
    cpu0, t0 = (cpu_seconds(pids) if pids else 0.0), time.perf_counter()
    each0 = [cpu_seconds([p]) for p in pids]
    me0 = sum(os.times()[:2])
    tasks = [
        asyncio.create_task(
            student_session(
                base,
                names[i % len(names)],
                pages[names[i % len(names)]],
                duration,
                interval,
                seed * 1000 + i,
                stats,
                start_delay=ramp * i / max(n, 1),
            )
        )
        for i in range(n)
    ]
    # RSS with everyone connected: sample near the end of the class
    await asyncio.sleep(max(0.0, ramp + duration - 1.0))
    rss = rss_mb(pids) if pids else float("nan")
    during = await asyncio.get_running_loop().run_in_executor(None, server_metrics, base)
    await asyncio.gather(*tasks)
    cpu = (cpu_seconds(pids) if pids else 0.0) - cpu0
    client = sum(os.times()[:2]) - me0
    print(f"  load generator CPU {100 * client / (time.perf_counter() - t0):.0f} % of a core", flush=True)
    if len(pids) > 1:  # several processes behind a proxy: did the class spread over them?
        print(
            "  server CPU s by process: "
            + ", ".join(f"{p}: {cpu_seconds([p]) - c:.1f}" for p, c in zip(pids, each0, strict=True)),
            flush=True,
        )
    wall = time.perf_counter() - t0
    await asyncio.sleep(2.0)  # let the server drop the sessions
    m = await asyncio.get_running_loop().run_in_executor(None, server_metrics, base)
    rss_after = rss_mb(pids) if pids else float("nan")
    return Row(
        "",
        n,
        stats,
        cpu,
        wall,
        rss,
        rss_before,
        rss_after,
        during["active_sessions"],
        m["active_sessions"],
        m["session_state_bytes"],
        load_average(),
    )


def print_rows(rows: list[Row], floor: dict[int, Row]) -> None:
    head = (
        f"{'app':6} {'N':>4} {'inter':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'load p50':>8} "
        f"{'load p95':>8} {'err':>4} {'CPU %':>6} {'CPU ms/int':>10} {'RSS MB':>7} {'MB/sess':>7} "
        f"{'p95/floor':>9} {'open':>5} {'left':>5}  loadavg"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        s = r.stats
        runs = len(s.interactions) + len(s.loads)
        cpu_per = 1000 * r.cpu / runs if runs else float("nan")
        per_sess = (r.rss - r.rss_before) / r.n if r.n else float("nan")
        p95 = pct(s.interactions, 95)
        f = floor.get(r.n)
        ratio = (
            p95 / pct(f.stats.interactions, 95) if f and f is not r and f.stats.interactions else float("nan")
        )
        print(
            f"{r.app:6} {r.n:4d} {len(s.interactions):6d} {1000 * pct(s.interactions, 50):7.0f} "
            f"{1000 * p95:7.0f} {1000 * pct(s.interactions, 99):7.0f} {1000 * pct(s.loads, 50):8.0f} "
            f"{1000 * pct(s.loads, 95):8.0f} {len(s.errors):4d} {100 * r.cpu / r.wall:6.0f} {cpu_per:10.1f} "
            f"{r.rss:7.0f} {per_sess:7.2f} {ratio:9.2f} {int(r.sessions_during):5d} {int(r.sessions_after):5d}  {r.load}"
        )
        for e in sorted(set(s.errors))[:3]:
            print(f"         error x{s.errors.count(e)}: {e[:160]}")
    print(
        "inter = interactions completed; CPU ms/int = server CPU / (interactions + page loads); "
        "MB/sess = (RSS with the class connected - RSS before) / N; open / left = Streamlit's active sessions "
        "near the end of the class / 2 s after everyone disconnected (/_stcore/metrics; behind a proxy: one "
        "backend's)."
    )


def by_page_table(rows: list[Row]) -> None:
    print(
        "\nper page (p50 / p95 ms): "
        + "  ".join(
            f"N={r.n}: "
            + ", ".join(
                f"{p} {1000 * pct(v, 50):.0f}/{1000 * pct(v, 95):.0f}"
                for p, v in sorted(r.stats.by_page.items())
            )
            for r in rows
            if r.app == "app"
        )
    )


# -- CPU per interaction per page, one student at a time --------------------------------------------


async def per_page(base: str, pages: dict[str, str], pids: list[int], moves: int, seed: int) -> dict:
    """Per page: (CPU ms per move to values never seen, CPU ms per move when a second student makes the same
    moves — cached results, as in a class on one link —, median latency of the first pass, CPU ms of the
    second student's page load — the page already opened once)."""
    out = {}
    for page, key in pages.items():
        cpu = []
        for _pass in range(2):  # the same seed: the second student sends the first one's values
            s = Student(base, page, key, random.Random(seed))
            c0 = cpu_seconds(pids)
            await s.open()
            load = 1000 * (cpu_seconds(pids) - c0)
            for _ in range(3):  # warm the page's caches
                await s.move()
            c0 = cpu_seconds(pids)
            lat = [await s.move() for _ in range(moves)]
            cpu.append(1000 * (cpu_seconds(pids) - c0) / moves)
            if _pass == 0:
                median = statistics.median(lat) * 1000
            await s.close()
        out[page or "floor"] = (cpu[0], cpu[1], median, load)
    return out


# -- soak: RSS must level off --------------------------------------------------------------------------


async def soak(
    base: str, pages: dict[str, str], pids: list[int], total: int, students: int, seed: int
) -> None:
    count = 0
    marks: dict[int, float] = {}
    checkpoints = sorted({total // 10, total // 4, total // 2, 3 * total // 4, total})
    stop = asyncio.Event()
    errors: list[str] = []

    async def one(i: int) -> None:
        nonlocal count
        names = list(pages)
        s = Student(base, names[i % len(names)], pages[names[i % len(names)]], random.Random(seed + i))
        try:
            await s.open()
            while not stop.is_set():
                await s.move()
                count += 1
                for c in checkpoints:
                    if count == c:
                        marks[c] = rss_mb(pids)
                        print(
                            f"  {c:6d} interactions: RSS {marks[c]:.1f} MB  (load {load_average()})",
                            flush=True,
                        )
                if count >= total:
                    stop.set()
        except Exception as e:  # noqa: BLE001
            errors.append(str(e))
            stop.set()
        finally:
            await s.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(students)))
    first, last = marks.get(checkpoints[0]), marks.get(total)
    print(
        f"soak: {count} interactions in {time.perf_counter() - t0:.0f} s by {students} students, "
        f"{len(errors)} errors"
    )
    if first and last:
        print(
            f"RSS after {checkpoints[0]}: {first:.1f} MB, after {total}: {last:.1f} MB -> "
            f"{100 * (last / first - 1):+.1f} % (target within 10 %)"
        )


# -- memory per session ---------------------------------------------------------------------------------


async def memory(base: str, pages: dict[str, str], pids: list[int], levels: list[int], seed: int) -> None:
    """RSS with 1, 30, 100... sessions open on their pages (each loaded once), after all leave, and after
    a second class of the largest size came and left (memory reused, not kept per session)."""
    names = list(pages)
    await asyncio.sleep(1.0)
    base_rss = rss_mb(pids)
    print(f"  0 sessions: RSS {base_rss:.1f} MB")
    for round_levels in (levels, levels[-1:]):
        open_: list[Student] = []
        for level in round_levels:
            while len(open_) < level:
                batch = []
                for _ in range(min(10, level - len(open_))):
                    i = len(open_) + len(batch)
                    batch.append(
                        Student(
                            base, names[i % len(names)], pages[names[i % len(names)]], random.Random(seed + i)
                        )
                    )
                await asyncio.gather(*(st.open() for st in batch))
                open_ += batch
            await asyncio.sleep(2.0)
            m = await asyncio.get_running_loop().run_in_executor(None, server_metrics, base)
            r = rss_mb(pids)
            print(
                f"  {level:3d} sessions: RSS {r:.1f} MB, {(r - base_rss) / level:.2f} MB per session "
                f"(active_sessions {m['active_sessions']:.0f})  load {load_average()}",
                flush=True,
            )
        await asyncio.gather(*(st.close() for st in open_))
        await asyncio.sleep(3.0)
        m = await asyncio.get_running_loop().run_in_executor(None, server_metrics, base)
        r = rss_mb(pids)
        print(
            f"  after all {len(open_)} left: RSS {r:.1f} MB ({r - base_rss:+.1f} MB vs before), "
            f"active_sessions {m['active_sessions']:.0f}",
            flush=True,
        )


# -- validation against a real browser -------------------------------------------------------------


async def ws_counts(base: str, pages: dict[str, str]) -> dict[str, dict[str, int]]:
    out = {}
    for page, key in pages.items():
        s = Student(base, page, key, random.Random(0))
        await s.open()
        out[page] = s.counts()
        await s.close()
    return out


async def element_changes(base: str, pages: dict[str, str], moves: int = 4) -> dict[str, tuple]:
    """Per page: the elements a slider move re-sends and how many of them differ from the previous move's
    (by kind; and the re-sent ones by kind, blocks included). A browser redraws only the elements whose content changed (Streamlit's frontend keeps an
    unchanged element as it is), but the server builds and sends every one of them. The slider steps
    to a neighbouring value and back, as in benchmarks/browser_steps.py."""
    out: dict[str, tuple] = {}
    for page, key in pages.items():
        s = Student(base, page, key, random.Random(0))
        now: dict[tuple[int, ...], tuple[str, bytes]] = {}
        on_delta = s._on_delta

        def record(fm: ForwardMsg, on_delta=on_delta, now=now) -> None:
            d = fm.delta
            which = d.WhichOneof("type")
            body = d.new_element if which == "new_element" else d.add_block if which == "add_block" else None
            if body is not None:
                kind = d.new_element.WhichOneof("type") if which == "new_element" else "block"
                now[tuple(fm.metadata.delta_path)] = (kind, body.SerializeToString(deterministic=True))
            on_delta(fm)

        s._on_delta = record  # type: ignore[method-assign]
        await s.open()
        w = s.widgets[key]
        before: dict[tuple[int, ...], tuple[str, bytes]] = {}
        sent = changed = 0
        kinds: dict[str, int] = {}
        resent: dict[str, int] = {}
        for i in range(moves + 1):
            now.clear()
            w.value = w.value + (w.step if (i % 2 == 0) == (w.value + w.step <= w.hi) else -w.step)
            await s._rerun(w)
            if i:
                sent += len(now)
                for path, (kind, body) in now.items():
                    resent[kind] = resent.get(kind, 0) + 1
                    if before.get(path, ("", b""))[1] != body:
                        changed += 1
                        kinds[kind] = kinds.get(kind, 0) + 1
            before = dict(now)
        await s.close()
        out[page or "floor"] = (
            sent / moves,
            changed / moves,
            {k: v / moves for k, v in kinds.items()},
            {k: v / moves for k, v in resent.items()},
        )
    return out


def browser_counts(base: str, pages: dict[str, str]) -> dict[str, dict[str, int]]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        for page in pages:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(f"{base}/{page}")
            tab.wait_for_function(  # connected, script finished, a title drawn, no skeleton left
                """() => {
                    const app = document.querySelector('[data-testid=stApp]');
                    return app && app.getAttribute('data-test-script-state') === 'notRunning'
                        && !document.querySelector('[data-testid=stSkeleton]')
                        && document.querySelector('h1') !== null;
                }""",
                timeout=60_000,
            )
            tab.wait_for_timeout(1500)
            out[page] = {
                "vega_lite_chart": tab.locator("[data-testid=stVegaLiteChart]").count(),
                "slider": tab.locator("[data-testid=stSlider]").count(),
                "selectbox": tab.locator("[data-testid=stSelectbox]").count(),
                "exception": tab.locator("[data-testid=stException]").count(),
            }
            tab.close()
        browser.close()
    return out


# -- main -------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--students", default="1,10,30,60,100", help="class sizes, comma separated")
    ap.add_argument(
        "-d", "--duration", type=float, default=30.0, help="seconds each class keeps moving sliders"
    )
    ap.add_argument("-i", "--interval", type=float, default=2.0, help="seconds between a student's moves")
    ap.add_argument("--ramp", type=float, default=2.0, help="seconds over which the class opens the link")
    ap.add_argument("--pages", default=CLASS_PAGES, help="deep links the students open (round robin)")
    ap.add_argument("--no-floor", action="store_true", help="skip the one-chart floor app")
    ap.add_argument("--url", help="an already running app (e.g. the nginx proxy) instead of starting one")
    ap.add_argument("--pids", default="", help="with --url: server process ids whose CPU/RSS to report")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="extra streamlit option for the servers started here, e.g. runner.postScriptGC=true",
    )
    ap.add_argument("--per-page", action="store_true", help="CPU per interaction per page, one student")
    ap.add_argument("--moves", type=int, default=30, help="with --per-page: moves per page")
    ap.add_argument("--soak", type=int, default=0, metavar="INTERACTIONS", help="RSS soak test")
    ap.add_argument("--soak-students", type=int, default=20)
    ap.add_argument("--memory", action="store_true", help="RSS per open session at 1, 30, 100 sessions")
    ap.add_argument("--validate", action="store_true", help="compare element counts with a real browser")
    ap.add_argument(
        "--changes",
        action="store_true",
        help="elements re-sent and elements changed per slider move, per page",
    )
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    sizes = [int(v) for v in args.students.split(",") if v]
    pages = {p: PAGES.get(p, "") for p in args.pages.split(",") if p}
    options = []
    for item in args.set:
        k, _, v = item.partition("=")
        options += [f"--{k}", v]
    print(
        f"classroom benchmark  cpus={os.cpu_count()}  load average {load_average()}  options={options or 'config.toml'}"
    )

    async def go() -> None:
        asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(256))
        targets: list[tuple[str, str, list[int], dict[str, str], Server | None]] = []
        if args.url:
            targets.append(
                ("app", args.url.rstrip("/"), [int(p) for p in args.pids.split(",") if p], pages, None)
            )
        else:
            srv = Server("streamlit_app.py", options)
            targets.append(("app", srv.url, srv.pids, pages, srv))
            if not args.no_floor:
                fsrv = Server(FLOOR, options)
                targets.append(("floor", fsrv.url, fsrv.pids, FLOOR_PAGES, fsrv))
        try:
            for _name, base, _pids, pg, _ in targets:  # warm up: imports, first runs, caches
                await run_class(base, pg, len(pg), 3.0, 1.0, [], 0, 0.0)
            if args.validate:
                name, base, _, pg, _ = targets[0]
                ws = await ws_counts(base, pg)
                br = await asyncio.get_running_loop().run_in_executor(None, browser_counts, base, pg)
                print("\nvalidation: elements a simulated student received vs a real browser (Chromium)")
                ok = True
                for page in pg:
                    for kind in ("vega_lite_chart", "slider", "selectbox", "exception"):
                        a, b = ws[page].get(kind, 0), br[page][kind]
                        ok &= a == b
                        print(
                            f"  {page:18} {kind:16} websocket {a:3d}  browser {b:3d}  {'ok' if a == b else 'DIFF'}"
                        )
                    print(f"  {page:18} {'(all elements)':16} websocket {sum(ws[page].values()):3d}")
                print("validation", "PASSED" if ok else "FAILED")
            if args.changes:
                print(
                    "\nElements per slider move (a neighbouring value and back): re-sent / changed, by kind"
                )
                for _name, base, _pids, pg, _ in targets:
                    for page, (sent, changed, kinds, resent) in (await element_changes(base, pg)).items():

                        def by_kind(counts: dict[str, float]) -> str:
                            return ", ".join(
                                f"{k} {v:g}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
                            )

                        print(f"  {page:20} {sent:5.0f} re-sent  {changed:4.0f} changed  ({by_kind(kinds)})")
                        print(f"  {'':20} re-sent: {by_kind(resent)}")
            if args.per_page:
                print(
                    f"\nCPU per interaction, one student, {args.moves} moves per page (load {load_average()})"
                )
                results = {}
                for _name, base, pids, pg, _ in targets:
                    if pids:
                        results.update(await per_page(base, pg, pids, args.moves, args.seed))
                floor_new, floor_same, _, floor_load = results.get("floor", (float("nan"),) * 4)
                print(
                    f"  {'page':18} {'new values':>22}  {'same values again':>26}  median latency  "
                    f"{'page load (2nd student)':>26}"
                )
                for page, (new, same, lat, load) in results.items():
                    print(
                        f"  {page:18} {new:7.1f} ms ({new / floor_new:4.1f}x floor)  "
                        f"{same:11.1f} ms ({same / floor_same:4.1f}x floor)  {lat:9.0f} ms  "
                        f"{load:11.1f} ms ({load / floor_load:4.1f}x floor)"
                    )
            if args.memory:
                name, base, pids, pg, _ = targets[0]
                print(f"\nmemory on {name}: sessions opened, each on its page, none moving")
                await memory(base, pg, pids, [1, 30, 100], args.seed)
            if args.soak:
                name, base, pids, pg, _ = targets[0]
                print(f"\nsoak: {args.soak} interactions on {name}")
                await soak(base, pg, pids, args.soak, args.soak_students, args.seed)
            modes = args.soak or args.per_page or args.validate or args.memory or args.changes
            if sizes and (not modes or args.students != ap.get_default("students")):
                rows: list[Row] = []
                floor: dict[int, Row] = {}
                for n in sizes:
                    for name, base, pids, pg, _ in targets:
                        r = await run_class(
                            base, pg, n, args.duration, args.interval, pids, args.seed, args.ramp
                        )
                        r.app = name
                        rows.append(r)
                        if name == "floor":
                            floor[n] = r
                        print(
                            f"  done: {name} N={n} ({len(r.stats.interactions)} interactions, "
                            f"{len(r.stats.errors)} errors, load {r.load})",
                            flush=True,
                        )
                print(
                    f"\n{len(sizes)} class sizes x {args.duration:.0f} s, a move every {args.interval:g} s "
                    f"per student, pages: {', '.join(pages)}"
                )
                print_rows(rows, floor)
                by_page_table(rows)
        finally:
            for *_, srv in targets:
                if srv is not None:
                    srv.stop()

    asyncio.run(go())


if __name__ == "__main__":
    main()
