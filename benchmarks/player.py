"""The replay player in a real browser: frames per second, server reruns and CPU while playing, bytes.

Run: `python benchmarks/player.py [--baseline-ref REF] [--sessions 10] [--seconds 10]`
     `python benchmarks/player.py --page playground [--seconds 10]` (the Network playground: frames/s at 1x
     and 4x for its default settings and its largest network, messages while playing, bytes per page load)

Backprop at the article's defaults, headless Chromium (Debian's), a real `streamlit run` server:
- distinct frames drawn per second while playing (requestAnimationFrame sampling of the player's frame
  counter, for `--seconds`), target ≥ 30;
- while 1 and N sessions play: script reruns on the server (websocket messages either way: a rerun needs
  a BackMsg from the browser and sends ForwardMsgs back) and the server's CPU (utime + stime of its
  process from /proc), target 0 reruns and < 5 % of a core;
- pause at a chosen epoch: the player stops on that frame, and after its one report the page's panels
  show that epoch;
- bytes over the websocket per page load, and the largest message (one history chunk).

Baseline, measured in the same run: the same page at `--baseline-ref` (default: the commit before the
player, exported with `git archive` to a temporary folder), whose Play reran a fragment every 120 ms.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serve import launch_chromium, streamlit_server  # noqa: E402
from benchmarks.serve import wait_ready as _wait_ready  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")

SAMPLE_FRAMES = """async (ms) => {
    const s = window.__glPlayers[0];
    const seen = new Set(); let ticks = 0;
    const t0 = performance.now();
    await new Promise((done) => {
        const tick = () => { seen.add(s.frame); ticks++;
            if (performance.now() - t0 < ms) requestAnimationFrame(tick); else done(); };
        requestAnimationFrame(tick);
    });
    return [seen.size, ticks, (performance.now() - t0) / 1000, s.draws];
}"""


@contextmanager
def server(cwd: Path):
    """`streamlit run streamlit_app.py` from `cwd` (this tree, or an exported baseline): (base URL, pid)."""
    with streamlit_server(None, cwd=cwd) as base:
        yield base, base.pid


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process and its threads, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Wire:
    """Counts websocket messages and bytes, both ways, for one page."""

    def __init__(self, page) -> None:
        self.recv = self.sent = self.recv_bytes = self.sent_bytes = self.largest = 0
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        if "_stcore/stream" not in ws.url:
            return
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload) -> None:
        n = len(payload) if payload is not None else 0
        self.recv += 1
        self.recv_bytes += n
        self.largest = max(self.largest, n)

    def _sent(self, payload) -> None:
        self.sent += 1
        self.sent_bytes += len(payload) if payload is not None else 0

    def snapshot(self) -> tuple[int, int, int, int]:
        return self.recv, self.sent, self.recv_bytes, self.sent_bytes


def wait_ready(pg, timeout: float = 90_000) -> None:
    _wait_ready(pg, timeout=timeout, settle_ms=500)


def open_player(browser, base: str, query: str = "?epoch=0", path: str = "backprop"):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = ctx.new_page()
    wire = Wire(pg)
    pg.goto(f"{base}/{path}{query}")
    wait_ready(pg)
    pg.wait_for_function(
        "() => (window.__glPlayers || []).length && window.__glPlayers[0].built", timeout=60_000
    )
    pg.wait_for_timeout(1000)
    return ctx, pg, wire


def start_playing(pg) -> None:
    """Clear "pause at" (so a 10 s sample does not stop at epoch 1000) and press Space on the player."""
    pg.locator(".glp-pauseat").fill("")
    pg.locator(".glp").focus()
    pg.locator(".glp").press("Space")
    pg.wait_for_function("() => window.__glPlayers[0].playing")


def measure_play(browser, base: str, pid: int, sessions: int, seconds: float) -> dict:
    pages = [open_player(browser, base) for _ in range(sessions)]
    time.sleep(2.0)
    for _, pg, _ in pages[1:]:  # the others play at 0.25x so that none reaches the end during the sample
        pg.locator(".glp-speed").select_option("0.25")
    for _, pg, _ in pages:  # clear "pause at"; start each as quickly as possible (Play's own function)
        pg.locator(".glp-pauseat").fill("")
    for _, pg, _ in pages[1:]:
        pg.evaluate("() => window.__glPlayers[0].play()")
    start_playing(pages[0][1])
    before = [w.snapshot() for _, _, w in pages]
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    fps = pages[0][1].evaluate(SAMPLE_FRAMES, int(seconds * 1000))
    cpu1, t1 = cpu_seconds(pid), time.monotonic()
    for _, pg, _ in pages:  # sync Playwright delivers websocket events only inside its own calls
        pg.evaluate("() => 0")
    after = [w.snapshot() for _, _, w in pages]
    playing = all(pg.evaluate("() => window.__glPlayers[0].playing") for _, pg, _ in pages)
    for ctx, _, _ in pages:
        ctx.close()
    return {
        "distinct": fps[0],
        "raf": fps[1],
        "secs": fps[2],
        "fps": fps[0] / fps[2],
        "recv": sum(a[0] - b[0] for a, b in zip(after, before, strict=True)),
        "sent": sum(a[1] - b[1] for a, b in zip(after, before, strict=True)),
        "cpu": (cpu1 - cpu0) / (t1 - t0),
        "still_playing": playing,
    }


def measure_load(browser, base: str, query: str = "", path: str = "backprop") -> dict:
    ctx, _, wire = open_player(browser, base, query, path)
    out = {"bytes": wire.recv_bytes, "messages": wire.recv, "largest": wire.largest}
    ctx.close()
    return out


def measure_pause_at(browser, base: str, epoch: int) -> dict:
    ctx, pg, wire = open_player(browser, base)
    pg.locator(".glp-speed").select_option("4")
    pg.locator(".glp-pauseat").fill(str(epoch))
    r0 = wire.snapshot()
    pg.locator(".glp").focus()
    pg.locator(".glp").press("Space")
    pg.wait_for_function(
        "() => !window.__glPlayers[0].playing && window.__glPlayers[0].frame > 0", timeout=60_000
    )
    frame = pg.evaluate("() => window.__glPlayers[0].frame")
    shown = pg.locator(".glp").get_attribute("data-epoch")
    pg.wait_for_function(
        """(e) => [...document.querySelectorAll('[data-testid=stHeading]')].some(h =>
               h.textContent.includes('Paused at epoch ') &&
               h.textContent.split('Paused at epoch ')[1].trim().split(/\\s/)[0].replace(/,/g, '') === String(e))""",
        arg=epoch,
        timeout=30_000,
    )
    wait_ready(pg)
    r1 = wire.snapshot()
    ctx.close()
    return {"frame": frame, "epoch": int(shown), "rerun_bytes": r1[2] - r0[2], "sent": r1[1] - r0[1]}


def measure_baseline(browser, base: str, pid: int, seconds: float) -> dict:
    """The old page: Play reran a fragment every 120 ms. Reruns ≈ BackMsgs sent, CPU from /proc."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = ctx.new_page()
    wire = Wire(pg)
    pg.goto(f"{base}/backprop")
    wait_ready(pg)
    time.sleep(2.0)
    load = {"bytes": wire.recv_bytes, "messages": wire.recv, "largest": wire.largest}
    r0, cpu0, t0 = wire.snapshot(), cpu_seconds(pid), time.monotonic()
    pg.get_by_role("button", name="Play", exact=True).click()
    pg.wait_for_timeout(
        seconds * 1000
    )  # (not time.sleep: websocket events are delivered during Playwright calls)
    cpu1, t1 = cpu_seconds(pid), time.monotonic()
    pg.evaluate("() => 0")
    r1 = wire.snapshot()
    epoch = pg.locator("[data-testid=stHeading]", has_text="Paused at epoch").first.inner_text()
    epoch = epoch.split("Paused at epoch ", 1)[1].split()[0]
    ctx.close()
    return {
        "load": load,
        "sent": r1[1] - r0[1],
        "recv": r1[0] - r0[0],
        "recv_bytes": r1[2] - r0[2],
        "cpu": (cpu1 - cpu0) / (t1 - t0),
        "epoch": epoch,
    }


SAMPLE_PLAY = """async ([speed, maxMs]) => {
    const s = window.__glPlayers[0];
    s.speed = speed; s.pause(); s.frame = 0; s.play();
    const ms = Math.min(maxMs, ((s.n - 1) / (s.data.fps * speed)) * 1000 - 250);  // stop before the end
    const seen = new Set(); let ticks = 0;
    const t0 = performance.now();
    await new Promise((done) => {
        const tick = () => { seen.add(s.frame); ticks++;
            if (s.playing && performance.now() - t0 < ms) requestAnimationFrame(tick); else done(); };
        requestAnimationFrame(tick);
    });
    return [seen.size, ticks, (performance.now() - t0) / 1000, s.n, s.playing];
}"""


def playground(browser, args) -> None:
    """The Network playground's player: frames/s while playing (default settings and the largest network),
    server messages while playing, bytes per page load; baseline: the page at `--playground-baseline-ref`
    (a server-side frame slider, one rerun per frame shown), same run."""
    largest = "?dataset=spirals&n=500&layers=4&w1=8&w2=8&w3=8&w4=8&batch=full&epochs=1000&epoch=0"
    rows = {}
    with server(ROOT) as (base, pid):
        for name, query in (("default", "?epoch=0"), ("largest 4x8, 1000 epochs", largest)):
            measure_load(browser, base, query, "playground")  # warm the cache
            load = measure_load(browser, base, query, "playground")
            ctx = browser.new_context(viewport={"width": 1280, "height": 720})
            pg = ctx.new_page()
            pg.goto(f"{base}/playground{query}", wait_until="commit")
            pg.wait_for_function(
                "() => (window.__glPlayers || []).length && window.__glPlayers[0].draws > 0",
                polling="raf",
                timeout=60_000,
            )
            first_ms = pg.evaluate("() => performance.now()")  # since navigation start: the first frame drawn
            ctx.close()
            ctx, pg, wire = open_player(browser, base, query, "playground")
            pg.evaluate("() => 0")
            r0, cpu0, t0 = wire.snapshot(), cpu_seconds(pid), time.monotonic()
            one = pg.evaluate(SAMPLE_PLAY, [1, args.seconds * 1000])
            cpu1, t1 = cpu_seconds(pid), time.monotonic()
            pg.evaluate("() => 0")  # websocket events arrive inside Playwright calls
            r1 = wire.snapshot()  # still playing (the sample ends before the last frame)
            assert one[4], "the 1x sample reached the end"
            fast = pg.evaluate(SAMPLE_PLAY, [4, args.seconds * 1000])
            pg.evaluate("() => 0")
            r2 = wire.snapshot()
            pg.evaluate("() => window.__glPlayers[0].pause()")  # one report, one fragment rerun
            pg.wait_for_timeout(500)
            wait_ready(pg)
            pg.evaluate("() => 0")
            pause_bytes = wire.snapshot()[2] - r2[2]
            fps = pg.evaluate("() => window.__glPlayers[0].data.fps")
            ctx.close()
            rows[name] = (
                load,
                one,
                fast,
                fps,
                r1[1] - r0[1],
                (cpu1 - cpu0) / (t1 - t0),
                pause_bytes,
                first_ms,
            )
    base_load = None
    if not args.no_baseline:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(
                ["git", "archive", args.playground_baseline_ref], cwd=ROOT, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            with server(Path(tmp)) as (base, _):
                ctx = browser.new_context(viewport={"width": 1280, "height": 720})
                pg = ctx.new_page()
                wire = Wire(pg)
                for _ in range(2):  # the second load: the history cached, as above
                    wire.recv_bytes = wire.recv = wire.largest = 0
                    pg.goto(f"{base}/playground")
                    wait_ready(pg)
                    pg.wait_for_timeout(1000)
                base_load = {"bytes": wire.recv_bytes, "messages": wire.recv, "largest": wire.largest}
                b0 = wire.recv_bytes  # one frame shown by the old slider: a rerun of the whole page
                pg.locator("[data-testid=stSlider]", has_text="Frame (drag").get_by_role("slider").focus()
                pg.keyboard.press("ArrowLeft")
                pg.wait_for_timeout(500)
                wait_ready(pg)
                pg.evaluate("() => 0")
                base_load["per_frame"] = wire.recv_bytes - b0
                ctx.close()
    print(
        f"Network playground replay player, headless Chromium, samples of up to {args.seconds:g} s from epoch 0"
    )
    for name, (load, one, fast, fps, sent, cpu, pause_bytes, first_ms) in rows.items():
        print(
            f"  {name}: {one[3]} frames, the page's rate {fps} frames/s at 1x; first frame drawn "
            f"{first_ms / 1000:.2f} s after navigation (history cached)  target <= 2 s"
        )
        print(
            f"    1x: {one[0] / one[2]:.1f} distinct frames/s ({one[0]} frames in {one[2]:.2f} s, {one[1]} rAF ticks)"
            f"  target = the page's rate"
        )
        print(
            f"    4x: {fast[0] / fast[2]:.1f} distinct frames/s ({fast[0]} frames in {fast[2]:.2f} s, "
            f"{fast[1]} rAF ticks): the drawing keeps up with the browser's frame rate"
        )
        print(
            f"    while playing: browser messages sent {sent} (reruns = 0 iff 0), server CPU {100 * cpu:.1f} % "
            f"of a core"
        )
        print(
            f"    page load: {load['bytes']:,} bytes in {load['messages']} messages; largest message "
            f"{load['largest']:,} bytes  budget <= 400,000; a Pause (one fragment rerun): {pause_bytes:,} bytes"
        )
    if base_load:
        d = rows["default"][0]
        print(f"Baseline ({args.playground_baseline_ref}: server-side frame slider, Vega-Lite charts)")
        print(
            f"  default page load: {base_load['bytes']:,} bytes in {base_load['messages']} messages, largest "
            f"{base_load['largest']:,}; ratio after/before = {d['bytes'] / max(base_load['bytes'], 1):.2f}"
        )
        print(
            f"  one frame shown (a slider step, one rerun): {base_load['per_frame']:,} bytes; with the player "
            "0 bytes and no rerun per frame played (one rerun on Pause/Step)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-ref", default="e8c7458", help="git ref of the page before the player")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--page", choices=("backprop", "playground"), default="backprop")
    parser.add_argument(
        "--playground-baseline-ref", default="29d410a", help="git ref of the Playground before its player"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if args.page == "playground":
        with sync_playwright() as p:
            browser = launch_chromium(p)
            playground(browser, args)
            browser.close()
        return

    with sync_playwright() as p:
        browser = launch_chromium(p)
        base_line = None
        if not args.no_baseline:
            with tempfile.TemporaryDirectory() as tmp:
                archive = subprocess.run(
                    ["git", "archive", args.baseline_ref], cwd=ROOT, check=True, capture_output=True
                ).stdout
                subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
                with server(Path(tmp)) as (base, pid):
                    base_line = measure_baseline(browser, base, pid, args.seconds)
        with server(ROOT) as (base, pid):
            measure_load(browser, base)  # warm the cache: the first visitor computes the history
            load = measure_load(browser, base)
            one = measure_play(browser, base, pid, 1, args.seconds)
            many = measure_play(browser, base, pid, args.sessions, args.seconds)
            pause = measure_pause_at(browser, base, 2370)
        browser.close()

    print(f"Backprop replay player, article defaults, {args.seconds:g} s samples, headless Chromium")
    print(
        f"  frames/s while playing (1 session):   {one['fps']:.1f} distinct frames/s "
        f"({one['distinct']} frames in {one['secs']:.1f} s, {one['raf']} rAF ticks)  target >= 30"
    )
    print(
        "  (distinct frames can not exceed the rAF ticks: the headless browser's own frame rate on this machine)"
    )
    print(
        f"  frames/s with {args.sessions} sessions playing: {many['fps']:.1f} (first session sampled at 1x, the "
        f"others at 0.25x, all {'still' if many['still_playing'] else 'NOT all'} playing at the end)"
    )
    for label, r in (("1 session", one), (f"{args.sessions} sessions", many)):
        print(
            f"  {label:>12} playing: server messages sent {r['recv']}, browser messages sent {r['sent']} "
            f"(reruns = 0 iff both 0), server CPU {100 * r['cpu']:.1f} % of a core  target 0 and < 5 %"
        )
    print(
        f"  pause at epoch 2370: stopped on frame {pause['frame']} = epoch {pause['epoch']} "
        f"(exact: {pause['epoch'] == 2370}); its one rerun sent {pause['rerun_bytes']:,} bytes"
    )
    print(
        f"  page load: {load['bytes']:,} bytes in {load['messages']} messages; largest message "
        f"(the one history chunk) {load['largest']:,} bytes  budget <= 400,000 per chunk"
    )
    if base_line:
        b = base_line
        print(f"Baseline ({args.baseline_ref}: Play reran a fragment every 120 ms)")
        print(f"  page load: {b['load']['bytes']:,} bytes, largest message {b['load']['largest']:,}")
        print(
            f"  1 session playing {args.seconds:g} s: browser messages {b['sent']} (~reruns), server messages "
            f"{b['recv']} ({b['recv_bytes']:,} bytes), server CPU {100 * b['cpu']:.1f} % of a core, "
            f"epoch reached {b['epoch']}"
        )
        ratio = b["cpu"] / max(one["cpu"], 1e-9)
        print(
            f"  ratios: server CPU while playing, before/after = {ratio:.0f}x; "
            f"page-load bytes after/before = {load['bytes'] / max(b['load']['bytes'], 1):.2f}"
        )


if __name__ == "__main__":
    main()
