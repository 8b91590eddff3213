"""A slider step and a heavy link in a real browser: every page against a one-chart floor app.

Run: `python benchmarks/browser_steps.py [-n 10] [--warmup 2] [--pages derivatives,gradients]
      [--no-steps] [--no-links] [--loads 3] [--component-floor]`

Two real `streamlit run` servers (the app, and benchmarks/floor_app.py: one slider, one chart; both
from the project root, so both read .streamlit/config.toml) and headless Chromium (Debian's) at
1280x720.

1. Slider steps (issue 17: every page's step ≤ 1.5x the floor's). Each page of ui/navigation.py's
   registry that has a slider is opened; its main slider (the first `stSlider` range input inside
   the page's stage, `.st-key-main_control`, see ui.layout.stage_control; else the page's first
   slider) is focused and, after `--warmup` presses, pressed `-n` times (ArrowRight, ArrowLeft,
   ... so the value stays in range). A step is the time from the keydown event (in the page's own
   clock) to the animation frame that shows the rerun's last DOM change. The floor app is measured
   the same way before and after the pages; ratios are against the median of both.
2. Heavy links (issue 11: any accepted input draws in ≤ 2 s). Derivatives, Autodiff and
   Gradient checking opened with the largest accepted formula in the link (`x/x/…/x`: 150 names,
   299 characters — core/expression's limit is 300 names and operators, below the 500-character
   link limit ui.state.MAX_PARAM_CHARS; `x/y/z/…` where the page takes x, y, z) and with the page's
   default formula. A load is the time from navigation start to the frame that shows the page's
   last DOM change, the page idle and its charts drawn; with the longest main-thread long task and
   the number of DOM nodes. The first load of a link is cold (the server computes it); the next
   `--loads` are warm (cached on the server), and their median is shown.

How "the rerun is over" is decided (Streamlit 1.67): `[data-testid=stApp]` carries
`data-test-script-state`, which the frontend sets to `running` when the server says a script run
started and to `notRunning` when it finished (the running-man status widget follows the same
state). A key press reaches the server only some 10–40 ms later (the slider's own handling, then a
BackMsg), so the attribute is still `notRunning` right after the press: waiting for `notRunning`
alone would measure a no-op. And a quick run (or one whose messages arrive while the main thread is
busy) can go `running` → `notRunning` inside one React commit, so that `running` never reaches the
DOM at all (seen on about 1 step in 10, on the floor app too). So a script added before the page's
own (context.add_init_script) logs, in the page's clock: the keydown; every DOM change
(MutationObserver on the whole document) and every script-state transition; each websocket message
the page sends (the rerun request) and receives (the rerun's ForwardMsgs). A step is done when,
after the press, the state went `running` then `notRunning` (or, if `running` was never shown, the
server answered the page's request), and then the DOM stayed quiet for `QUIET_MS` with the state
`notRunning`. Its end is the first animation frame after the last DOM change (Vega draws to SVG here,
so a chart redraw is a DOM change; canvas draws count too: CanvasRenderingContext2D's clearRect,
fillRect and drawImage are wrapped). Long tasks come from a buffered PerformanceObserver('longtask').
'touched' counts the Vega charts with a DOM change in the step (updated in place or rebuilt).
'1st/last msg' split a step: up to the last message is the server's part (an upper bound: a busy main
thread delays the message events too), the rest is the browser's. The probe's own cost is one
`closest()` per mutation record.

Timings from a shared 2-core machine (others were measuring too: see the load averages): compare the
ratios, measured in the same run.

What the gap to 1.5x is made of (2026-12-02, ablations on a quiet machine, Chrome CPU profiles and
traces; each figure a median of 10 presses, run-to-run noise ~±10 %):
- The app's shell alone: the floor's slider and chart in a fragment on an app page (header, sidebar,
  layout CSS, nothing else) steps in 54-60 ms against the floor app's 43-48: ~1.2-1.3x before a page
  draws anything of its own.
- Streamlit re-renders every element of the page on each rerun message, not only the fragment's: the
  floor app with 40 static elements below its fragment went from 51 to 69 ms; Jacobians stopped after
  its first section steps in 69-77 ms instead of 88-94 (JS +13 ms, style recalculation +9, paint +5).
- Fewer re-sent elements no longer move it: Jacobians' sliders moved out of their fragment (their
  callbacks rerun only a keyed output fragment, `st.rerun(scope=<key>)`; 15 -> 9 elements re-sent per
  move) stepped in 85-91 ms against 85 before. A lazy "Formulas" expander on Activations (DOM 2,402 ->
  1,281 nodes) stepped in 94 ms against 105: within the noise.
- A changed Vega-Lite chart is ~10-35 ms (Activations' 5 curves, 2 panels and hover layers: its step
  went from 105 to 71 ms with the chart replaced by a line of text).
- `--component-floor` steps the floor's 200 points drawn as one SVG polyline by one `st.components.v2`
  component: 24-30 ms, 0.54-0.65x the floor. So a stage drawn as one component from one payload (as the replay
  player already is) is the way under 1.5x, not further cuts of Streamlit elements.

Element by element (2026-12-02 10:30-11:00 UTC, variants of the floor app with 10 or 30 extra elements,
medians of 12 presses; a React DevTools hook counted the commits): a step makes ~3 commits that re-render
every element of the page (script started, its deltas, script finished). Each element then costs, per step:
- outside the fragment that reruns: Markdown (with or without KaTeX), page links, charts ~0 (memoised);
  st.subheader ~0.8 ms, an expander ~0.7, a popover ~0.6, a block of st.columns ~0.14;
- re-sent by the fragment but unchanged: a Vega-Lite chart ~5.5 ms, a heading ~1.1, a metric ~0.8, a
  selectbox or slider ~0.7, Markdown ~0.2;
- re-sent and changed: Markdown 1.6-3.5 ms (six check boxes as six elements +21 ms, the same text as ONE
  element +2 ms: the price is per element, not per character), a metric ~0.9, a bordered container ~1.7;
- the server's part of a step is small: 9 ms of script time per step on Derivatives, 15 on Gradients
  (py-spy at 500 Hz); the rest of a step is the browser's.
So a slider that changes little reruns a fragment nested in its stage's (Derivatives' h, Gradient
checking's ε, Activations' x range, Vanishing gradients' depth, Jacobians' m): it re-sends its own
outputs only, not the stage's other controls, headings and unchanged charts.
What that cannot reach (Gradients, the worst page): its stage with only its sliders steps in 46-48 ms
(1.0-1.3x the floor); with its four charts drawn by four trivial components and no metrics, checks or
formulas, in 65-67 ms (1.7-1.9x); with the charts as components and the rest as now, 81-89 ms. Gradients,
Backprop (Hidden units changes everything it shows) and the Playground need their whole stage drawn as
one component to get under 1.5x.

Steppers (ui/stepper.py, 2026-12-02 afternoon): a slider whose every position the server computes at
once is drawn by the browser, with no rerun: Autodiff's step, Derivatives' h, Activations' x range,
Jacobians' m, Vanishing gradients' depth and Gradient checking's ε. Such a slider is timed the same way
(key press → the frame after its last DOM change, shadow roots included) and marked "[drawn in the browser]";
its step sends nothing, so 'sent' and the messages are nan. The row under it times its report, the one
rerun once the learner stops (~0.7 s after the last step), and counts its DOM mutation records (the script
state attribute: nothing on screen changes).

slider steps measured on 2026-12-02 (14:34 UTC, after the steppers; quiet machine; floor median 46 ms):

    load average at start: 0.51 2.44 4.06 (2-core machine: 2 CPUs seen)
      page                   median ms   p90 ms  ratio  charts  touched  nodes  sent 1st msg last msg  idle  long tasks  slider
      floor app (before)            42       52  0.91x       1        1    274     8      18       33    35           0  Frequency (not in the stage)
          (1 of 10 runs never showed 'running' in the DOM: timed by the server's answers)
      derivatives                    1        2  0.03x       1        0   1722   nan     nan      nan   nan           0  Step size h [drawn in the browser]
          (report: 1 message(s) at +693 ms after the last step, rerun finished at +769 ms, 2 DOM mutation records (script state, status widget, link))
      gradients                    149      182  3.25x       4        4   2754    11      19       63   140      10/112  Point w₁
      gradient_descent              80       89  1.75x       0        0   1345    10      15       51    75           0  Start w₁ (not in the stage)
      backprop                     141      151  3.07x       1        1   2071    10      20       67   119        5/78  Hidden units (not in the stage)
      jacobians                      4        7  0.08x       3        0   2499   nan     nan      nan   nan           0  Outputs m [drawn in the browser]
          (report: 1 message(s) at +687 ms after the last step, rerun finished at +750 ms, 2 DOM mutation records (script state, status widget, link))
      playground                    95      104  2.08x       0        0   1567     8      17       62    91           0  Noise (not in the stage)
      autodiff                       2        4  0.05x       0        0   1286   nan     nan      nan   nan           0  Backward step (0 = before backward(), 8 = done) [drawn in the browser]
          (report: 1 message(s) at +694 ms after the last step, rerun finished at +764 ms, 2 DOM mutation records (script state, status widget, link))
      activations                    4        4  0.08x       0        0   1990   nan     nan      nan   nan           0  x range ± [drawn in the browser]
          (report: 1 message(s) at +691 ms after the last step, rerun finished at +772 ms, 5 DOM mutation records (script state, status widget, link))
      losses                        94      108  2.04x       4        1   3600    12      18       49    88           0  Target y
      vanishing_gradients            3        5  0.06x       0        0   1218   nan     nan      nan   nan           0  Depth L (layers) [drawn in the browser]
          (report: 1 message(s) at +694 ms after the last step, rerun finished at +763 ms, 3 DOM mutation records (script state, status widget, link))
      gradient_checking              2        4  0.05x       1        0   1164   nan     nan      nan   nan           0  Step ε [drawn in the browser]
          (report: 1 message(s) at +693 ms after the last step, rerun finished at +791 ms, 2 DOM mutation records (script state, status widget, link))
      component floor               32       36  0.70x       0        0    137    11      16       22    23           0  Frequency (not in the stage)
          (3 of 10 runs never showed 'running' in the DOM: timed by the server's answers)
      floor app (after)             47       59  1.03x       1        1    274    11      21       36    44           0  Frequency (not in the stage)
          (1 of 10 runs never showed 'running' in the DOM: timed by the server's answers)
    load average after the steps: 1.14 2.00 3.61

slider steps measured on 2026-12-02 (12:16 UTC, after nested fragments on Derivatives, Gradient checking,
Activations, Vanishing gradients and Jacobians; quiet machine; floor median 39 ms):

    load average at start: 0.70 3.19 2.63 (2-core machine: 2 CPUs seen)
    page                   median ms   p90 ms  ratio  charts  touched  nodes  sent 1st msg last msg  idle  long tasks  slider
    floor app (before)            38       50  0.97x       1        1    274     7      17       31    35           0  Frequency (not in the stage)
    derivatives                   62       73  1.58x       2        1   1920    10      18       38    60           0  Step size h
    gradients                    127      137  3.23x       4        4   2754    10      18       50   119        8/80  Point w₁
    gradient_descent              83       91  2.12x       0        0   1345     9      16       46    63           0  Start w₁ (not in the stage)
    backprop                     147      159  3.74x       1        1   2071    10      16       59   112        6/61  Hidden units (not in the stage)
    jacobians                     70       79  1.79x       4        1   2688    11      16       42    68           0  Outputs m
    playground                   108      124  2.75x       0        0   1567     9      16       61    87           0  Noise (not in the stage)
    autodiff                      60       67  1.53x       1        0   1580     8      18       34    58           0  Backward step (0 = before backward(), 8 = done)
    activations                   81       93  2.07x       1        1   2407     9      16       39    75           0  x range ±
    losses                        93      103  2.37x       4        1   3600    10      17       48    89           0  Target y
    vanishing_gradients           63       85  1.61x       1        1   1525     9      15       34    60           0  Depth L (layers)
    gradient_checking             72       88  1.84x       2        2   1515     9      13       43    69           0  Step ε
    component floor               20       30  0.51x       0        0    137     9      14       17    17           0  Frequency (not in the stage)
    floor app (after)             40       61  1.01x       1        1    274     8      18       26    35           0  Frequency (not in the stage)
    load average after the steps: 0.52 2.11 2.31

slider steps measured on 2026-12-02 (09:07 UTC, after the session that drew charts through
ui.layout.draw_chart and cut Playground's server time per move; quiet machine):

    load average at start: 1.15 4.85 4.00 (2-core machine: 2 CPUs seen)
    page                   median ms   p90 ms  ratio  charts  touched  nodes  sent 1st msg last msg  idle  long tasks
    floor app (before)            45       49  1.03x       1        1    274     8      18       32    41           0
    derivatives                   78       87  1.81x       2        1   1914    10      19       48    76           0
    gradients                    146      163  3.37x       4        4   2754    11      20       72   139        9/98
    gradient_descent              81      102  1.86x       0        0   1359     9      19       42    65           0
    backprop                     163      194  3.75x       1        1   2824    11      19       65   129        7/70
    jacobians                     78       82  1.79x       4        1   2686    11      18       43    74           0
    playground                   115      122  2.65x       0        0   1567    10      15       64    91           0
    autodiff                      66       72  1.51x       1        0   1580    11      19       48    63           0
    activations                   90      109  2.07x       1        1   2401    10      17       39    86        2/55
    losses                        92      106  2.11x       4        1   3596    11      17       45    86           0
    vanishing_gradients           70       90  1.61x       1        1   1525    10      18       38    68           0
    gradient_checking             74       79  1.70x       2        2   1512     9      14       40    71           0
    component floor               24       28  0.54x       0        0    137     7      13       16    18           0
    floor app (after)             42       54  0.96x       1        1    274     8      17       30    36           0
    floor median (both floor rows) 43 ms

    Backprop after its chain-rule table went plain text (ChainFactor.text): 144 ms (3.65x) alone and
    161 ms (4.04x) in a full run 15 min later, in which the other pages moved by -14 % to +13 %
    against the table above (run-to-run noise).

slider steps measured on 2026-12-02 (06:46 UTC, after the session that cut the elements a step re-sends
(15-32 per page, 68 on the Playground) and drew 'Show the code' only when opened; quiet machine):

    load average at start: 0.98 2.45 6.45 (2-core machine: 2 CPUs seen)
    Slider steps in headless Chromium 1280x720: key press → the frame showing the rerun's last DOM change (median / p90 of 10 presses per page)
    page                   median ms   p90 ms  ratio  charts  touched  nodes  sent 1st msg last msg  idle  long tasks  slider
    floor app (before)            47       51  1.02x       1        1    274     9      20       33    38           0  Frequency (not in the stage)
    derivatives                   93      101  2.03x       2        1   1942    11      17       59    90           0  Step size h
    gradients                    155      168  3.37x       4        4   2755    12      22       62   143       10/89  Point w₁
    gradient_descent              99      103  2.15x       0        0   1360     9      19       52    76           0  Start w₁ (not in the stage)
    backprop                     187      225  4.08x       1        1   2825    12      21       68   137       10/80  Hidden units (not in the stage)
    jacobians                     88       97  1.93x       4        1   2696    12      20       53    85           0  Outputs m
        (1 of 10 runs never showed 'running' in the DOM: timed by the server's answers)
    playground                   147      186  3.21x       0        0   1687    11      26       83   122           0  Noise (not in the stage)
    autodiff                      69       78  1.50x       1        0   1581    10      19       43    68           0  Backward step (0 = before backward(), 8 = done)
        (1 of 10 runs never showed 'running' in the DOM: timed by the server's answers)
    activations                  104      114  2.26x       1        1   2402    10      19       46    97        1/55  x range ±
    losses                       100      114  2.18x       4        1   3600    13      18       47    93        1/54  Target y
    vanishing_gradients           90      107  1.96x       1        1   1526    10      16       53    87           0  Depth L (layers)
    gradient_checking             81       91  1.76x       2        2   1513    10      15       40    76           0  Step ε
        (1 of 10 runs never showed 'running' in the DOM: timed by the server's answers)
    floor app (after)             45       69  0.99x       1        1    274    10      22       33    42           0  Frequency (not in the stage)
        (1 of 10 runs never showed 'running' in the DOM: timed by the server's answers)
    floor median (both floor rows) 46 ms; target: every page's ratio <= 1.50. 'touched': charts with a DOM change in a step (median); 'nodes': DOM elements on the page; 'sent': key press → the browser sends the rerun request (the slider's debounce; median ms); '1st/last msg': key press → the server's first / last websocket message of the rerun arrives (median ms; the end of the server's part); 'idle': key press → the DOM shows the script state notRunning (median ms); 'long tasks': count/longest ms over all measured presses
    load average after the steps: 1.71 2.02 5.62

heavy links measured on 2026-12-02 (00:52 UTC, commit 'browser_steps: split each step ...', load average
10–12 on 2 cores, so every figure is inflated):

    Pages opened from a link, headless Chromium 1280x720: navigation start → the page idle with its charts drawn (the frame showing its last DOM change)
      page               formula in the link              cold ms  warm ms  /floor  /default  longest task  long tasks  DOM nodes  charts
      floor app          (one slider, one chart)             2497     1755   1.00x     1.00x         412 ms           3        274       1
      derivatives        default x**3 - 2*sin(x)             3258     5416   3.09x     1.00x        1703 ms          11      4,634       2
      derivatives        x/x/…/x (299 chars)                 4970     5752   3.28x     1.06x        1561 ms           9      7,973       2
      autodiff           default (x*y + z) * sin(x)          3456     5037   2.87x     1.00x        1306 ms          11      2,757       1
      autodiff           x/x/…/x (299 chars)                 3964     3827   2.18x     0.76x         670 ms           9      5,911       1
      autodiff           x/y/z/…  (299 chars)                3461     3887   2.21x     0.77x         514 ms          10      5,935       1
      gradient_checking  default x**3 * y + sin(y * z)       2536     2413   1.37x     1.00x         262 ms           6      3,180       2
      gradient_checking  x/x/…/x (299 chars)                 2894     3016   1.72x     1.25x         344 ms           9      6,317       2
      gradient_checking  x/y/z/…  (299 chars)                3283     3152   1.80x     1.31x         502 ms           8      6,341       2
      target: any accepted input draws in <= 2,000 ms. 'warm': median of 3 loads after the first (the server's caches warm); '/floor', '/default': warm ms against the floor app's and the page's default formula's; 'longest task': over all loads of the link; 'long tasks': median count per load. Screenshots of the cold loads: /work/wt/bbench/.screenshots/bench-link-*.png
    load average after the links: 7.59 10.64 10.26
    total 524 s
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serve import LOGS as SHOTS  # noqa: E402
from benchmarks.serve import launch_chromium, streamlit_server, wait_ready  # noqa: E402
from ui.navigation import available_pages  # noqa: E402

VIEWPORT = {"width": 1280, "height": 720}
QUIET_MS = 400  # a step or a load is over after this long without a DOM change (and the script idle)
STEP_TIMEOUT_MS = 30_000
LOAD_TIMEOUT_MS = 90_000
SLIDER = "[data-testid=stSlider] input[type=range]"  # Streamlit 1.67's sliders are React Aria range inputs
STEPPER = ".gls-range"  # ui.stepper: a slider drawn by the browser from every position sent at once
STAGE_SLIDER = f".st-key-main_control {SLIDER}, .st-key-main_control {STEPPER}"
CHARTS = "[data-testid=stVegaLiteChart]"
MAX_NAMES = 150  # core.expression.tree.MAX_NODES = 300: 150 names and 149 '/' is the largest x/x/…/x

# Installed before the page's own scripts (context.add_init_script): a log of DOM changes, the
# script state's transitions, canvas draws, key presses and long tasks, all in performance.now() time.
PROBE = """
(() => {
  const now = () => performance.now();
  const bb = window.__bb = {
    key: null, states: [], lastChange: 0, lastFrame: 0, framePending: false, changes: 0,
    charts: new Set(), longtasks: [], sent: [], recv: [],
  };
  const frame = () => {
    if (bb.framePending) return;
    bb.framePending = true;
    requestAnimationFrame(() => { bb.framePending = false; bb.lastFrame = now(); });
  };
  const changed = () => { bb.lastChange = now(); bb.changes++; frame(); };
  const chartOf = (node) => {  // cheap: called for every mutation record (thousands when a chart is rebuilt)
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el && el.closest('[data-testid=stVegaLiteChart]');
  };
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state'
          && r.target.getAttribute('data-testid') === 'stApp') {
        bb.states.push([r.target.getAttribute('data-test-script-state'), now()]);
      }
      const c = chartOf(r.target);
      if (c) bb.charts.add(c);
    }
    changed();
  });
  const watch = {subtree: true, childList: true, attributes: true, characterData: true};
  observer.observe(document, watch);
  // st.components.v2 components live in shadow roots, which a document observer does not see into.
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (...args) {
    const root = attach.apply(this, args);
    observer.observe(root, watch);
    return root;
  };
  for (const name of ['clearRect', 'fillRect', 'drawImage']) {
    const orig = CanvasRenderingContext2D.prototype[name];
    CanvasRenderingContext2D.prototype[name] = function (...args) { changed(); return orig.apply(this, args); };
  }
  window.addEventListener('keydown', () => { bb.key = now(); }, true);
  const send = WebSocket.prototype.send;  // the BackMsg that asks for the rerun
  WebSocket.prototype.send = function (data) {
    if (!this.__bb) { this.__bb = true; this.addEventListener('message', () => bb.recv.push(now())); }
    bb.sent.push(now());
    return send.call(this, data);
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bb.longtasks.push([e.startTime, e.duration]);
    }).observe({type: 'longtask', buffered: true});
  } catch (e) { bb.longtasks = null; }
  bb.arm = () => { bb.key = null; bb.states = []; bb.charts = new Set(); bb.changes = 0; bb.sent = []; bb.recv = []; };
  const state = () => {
    const app = document.querySelector('[data-testid=stApp]');
    return app ? app.getAttribute('data-test-script-state') : null;
  };
  const tasks = (t0, t1) => (bb.longtasks || []).filter(([s, d]) => s + d > t0 && s < t1).map(([s, d]) => d);
  // Resolves when a script run started after the key press, finished, and the DOM was quiet for `quiet` ms.
  bb.step = (quiet, timeout) => new Promise((resolve) => {
    const t0 = bb.key;
    const check = () => {
      const t = now();
      const sent = bb.sent.find((ts) => ts >= t0);
      const recv = sent === undefined ? [] : bb.recv.filter((ts) => ts > sent);
      const ran = bb.states.findIndex(([s, ts]) => s === 'running' && ts >= t0);
      const fin = ran < 0 ? undefined : bb.states.slice(ran).find(([s]) => s === 'notRunning');
      // A fast run may flip the attribute running → notRunning within one React commit: then the
      // state is never seen 'running', and the server's answer to our request stands for the run.
      const seen = ran >= 0 ? fin !== undefined : recv.length > 0 && t - recv[recv.length - 1] >= quiet;
      // A control the browser draws by itself (ui.stepper) sends nothing: the step is over when the DOM
      // has been quiet for `quiet` ms with no rerun started. (Its report, once the learner stops, is a
      // rerun that this then waits for like any other.)
      const local = sent === undefined && ran < 0 && t - t0 >= quiet;
      if ((seen || local) && state() === 'notRunning' && t - bb.lastChange >= quiet && !bb.framePending) {
        const end = Math.max(bb.lastFrame, bb.lastChange);
        if (local) {
          resolve({ok: true, ms: end - t0, sent: NaN, start: NaN, finished: NaN, stateSeen: true, first: NaN,
                   last: NaN, charts: bb.charts.size, changes: bb.changes, tasks: tasks(t0, end),
                   lt: bb.longtasks !== null, local: true});
          return;
        }
        resolve({ok: true, ms: end - t0, sent: sent - t0,
                 start: (ran >= 0 ? bb.states[ran][1] : recv[0]) - t0,
                 finished: (ran >= 0 ? fin[1] : recv[recv.length - 1]) - t0, stateSeen: ran >= 0,
                 first: recv.length ? recv[0] - t0 : NaN, last: recv.length ? recv[recv.length - 1] - t0 : NaN,
                 charts: bb.charts.size, changes: bb.changes, tasks: tasks(t0, end), lt: bb.longtasks !== null});
      } else if (t - t0 > timeout || (sent === undefined && t - t0 > 5000)) {
        resolve({ok: false, why: sent === undefined ? 'no rerun request sent' : ran < 0 && !recv.length
                 ? 'no answer from the server' : 'never idle', states: bb.states});
      } else setTimeout(check, 25);
    };
    if (t0 === null) resolve({ok: false, why: 'no keydown seen'}); else check();
  });
  // A page load: the script idle, no skeleton, every chart drawn, then `quiet` ms without a DOM change.
  bb.load = (quiet, timeout, landmark) => new Promise((resolve) => {
    const drawn = () => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].every((c) => {
      const el = c.querySelector('canvas, svg');
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.width > 50 && r.height > 50;
    });
    const check = () => {
      const t = now();
      const app = document.querySelector('[data-testid=stApp]');
      const conn = app && app.getAttribute('data-test-connection-state');
      const ready = state() === 'notRunning' && (conn === null || conn === 'CONNECTED')
        && !document.querySelector('[data-testid=stSkeleton]')
        && (!landmark || document.querySelector(landmark)) && drawn();
      if (ready && t - bb.lastChange >= quiet && !bb.framePending) {
        const end = Math.max(bb.lastFrame, bb.lastChange);
        const lt = tasks(0, end);
        resolve({ok: true, ms: end, longest: lt.length ? Math.max(...lt) : 0, tasks: lt,
                 nodes: document.getElementsByTagName('*').length,
                 charts: document.querySelectorAll('[data-testid=stVegaLiteChart]').length,
                 exception: !!document.querySelector('[data-testid=stException]'), lt: bb.longtasks !== null});
      } else if (t > timeout) {
        resolve({ok: false, why: 'never idle', ms: t});
      } else setTimeout(check, 25);
    };
    check();
  });
})();
"""


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation; nan for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


@dataclass
class Steps:
    name: str
    slider: str = ""  # the slider's label, and whether it is in the stage
    charts: int = 0
    nodes: int = 0  # DOM elements on the page after it loaded
    ms: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)  # key press → the browser sent the rerun request
    first: list[float] = field(default_factory=list)  # key press → the server's first message received
    last: list[float] = field(default_factory=list)  # key press → the server's last message received
    finished: list[float] = field(default_factory=list)  # key press → the DOM says the script run finished
    touched: list[int] = field(default_factory=list)
    tasks: list[float] = field(default_factory=list)  # long tasks during the steps (ms each)
    longtasks_supported: bool = True
    errors: list[str] = field(default_factory=list)
    skipped: str = ""
    unseen: int = 0  # measured steps whose 'running' state never reached the DOM (a run within one commit)
    report: str = ""  # a stepper (ui.stepper): what its report, once the learner stops, cost

    @property
    def median(self) -> float:
        return pct(self.ms, 0.5)


def new_page(browser):
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(PROBE)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    return ctx, pg, errors


def measure_steps(
    browser, url: str, name: str, n: int, warmup: int, landmark: str | None, pick: str | None = None
) -> Steps:
    out = Steps(name)
    ctx, pg, page_errors = new_page(browser)
    try:
        pg.goto(url)
        wait_ready(pg, timeout=LOAD_TIMEOUT_MS, settle_ms=500, landmark=landmark)
        pg.wait_for_timeout(1000)  # the charts' first render, any follow-up rerun
        wait_ready(pg, timeout=LOAD_TIMEOUT_MS, landmark=landmark)
        out.charts = pg.locator(CHARTS).count()
        out.nodes = pg.evaluate("() => document.getElementsByTagName('*').length")
        staged = pg.locator(STAGE_SLIDER)
        if pick:  # a slider named on the command line (its label), wherever it is on the page
            staged = pg.locator(f'{SLIDER}[aria-label="{pick}"], {STEPPER}[aria-label="{pick}"]')
        slider = staged.first if staged.count() else pg.locator(SLIDER).first
        if not pg.locator(f"{SLIDER}, {STEPPER}").count():
            out.skipped = "no slider"
            return out
        label = slider.get_attribute("aria-label") or "?"
        out.slider = label if staged.count() else f"{label} (not in the stage)"
        if pg.locator(f".st-key-main_control {STEPPER}").count():
            out.slider += " [drawn in the browser]"
        value, top = float(slider.get_attribute("value")), float(slider.get_attribute("max"))
        keys = ("ArrowLeft", "ArrowRight") if value >= top else ("ArrowRight", "ArrowLeft")
        slider.focus()
        for i in range(warmup + n):
            before = slider.get_attribute("value")
            pg.evaluate("() => window.__bb.arm()")
            pg.keyboard.press(keys[i % 2])
            r = pg.evaluate("([q, t]) => window.__bb.step(q, t)", [QUIET_MS, STEP_TIMEOUT_MS])
            after = slider.get_attribute("value")
            if not r["ok"] or before == after:
                out.errors.append(f"press {i}: {r.get('why', 'value did not change')} ({before} → {after})")
                wait_ready(pg, timeout=LOAD_TIMEOUT_MS, landmark=landmark)
                slider.focus()
                continue
            if pg.evaluate("() => document.activeElement && document.activeElement.type") != "range":
                slider.focus()  # a rerun that rebuilt the slider loses the focus
            if i < warmup:
                continue
            out.ms.append(r["ms"])
            out.sent.append(r["sent"])
            out.first.append(r["first"])
            out.last.append(r["last"])
            out.finished.append(r["finished"])
            out.touched.append(r["charts"])
            out.unseen += not r["stateSeen"]
            out.tasks.extend(r["tasks"])
            out.longtasks_supported = r["lt"]
            pg.wait_for_timeout(150)
        if pg.locator(f".st-key-main_control {STEPPER}").count() and out.ms:
            # The stepper reports the position once the learner stops: a rerun that only writes the link.
            # Time it from the last press; count what it changed on the page.
            pg.keyboard.press(keys[(warmup + n) % 2])  # one more step: end away from the reported position
            pg.evaluate("() => { window.__bb.arm(); window.__bb.key = performance.now(); }")
            pg.wait_for_timeout(2500)
            rep = pg.evaluate(
                """() => { const bb = window.__bb, t0 = bb.key;
                  const fin = bb.states.filter(([s]) => s === 'notRunning').map(([, t]) => t - t0);
                  return {sent: bb.sent.map((t) => t - t0), fin, changes: bb.changes, url: location.search}; }"""
            )
            out.report = (
                f"report: {len(rep['sent'])} message(s) at +{', '.join(f'{t:.0f}' for t in rep['sent']) or '-'} ms "
                f"after the last step, rerun finished at +{rep['fin'][-1] if rep['fin'] else float('nan'):.0f} ms, "
                f"{rep['changes']} DOM mutation records (script state, status widget, link)"
            )
        if pg.locator("[data-testid=stException]").count():
            out.errors.append("the page shows an exception")
        out.errors.extend(f"page error: {e}" for e in page_errors[:3])
    finally:
        ctx.close()
    return out


def app_pages(names: list[str] | None) -> list:
    pages = [p for p in available_pages() if p.url_path]  # the home page has no slider
    if names:
        known = {p.url_path for p in pages}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise SystemExit(f"unknown pages {unknown}; known: {sorted(known)}")
        pages = [p for p in pages if p.url_path in names]
    return pages


def print_steps(rows: list[Steps], floors: list[Steps]) -> float:
    floor_ms = [m for f in floors for m in f.ms]
    floor = pct(floor_ms, 0.5)
    print(
        f"Slider steps in headless Chromium {VIEWPORT['width']}x{VIEWPORT['height']}: key press → the frame "
        f"showing the rerun's last DOM change (median / p90 of {max((len(r.ms) for r in rows), default=0)} "
        "presses per page)"
    )
    print(
        f"  {'page':<22}{'median ms':>10}{'p90 ms':>9}{'ratio':>7}{'charts':>8}{'touched':>9}{'nodes':>7}"
        f"{'sent':>6}{'1st msg':>8}{'last msg':>9}{'idle':>6}{'long tasks':>12}  slider"
    )
    for r in [*floors[:1], *rows, *floors[1:]]:
        if r.skipped:
            print(f"  {r.name:<22}  skipped: {r.skipped}")
            continue
        ratio = r.median / floor if floor > 0 else math.nan
        lt = f"{len(r.tasks)}/{max(r.tasks):.0f}" if r.tasks else ("0" if r.longtasks_supported else "n/a")
        print(
            f"  {r.name:<22}{r.median:>10.0f}{pct(r.ms, 0.9):>9.0f}{ratio:>6.2f}x{r.charts:>8}"
            f"{pct(r.touched, 0.5):>9.0f}{r.nodes:>7}{pct(r.sent, 0.5):>6.0f}"
            f"{pct(r.first, 0.5):>8.0f}{pct(r.last, 0.5):>9.0f}{pct(r.finished, 0.5):>6.0f}{lt:>12}  {r.slider}"
        )
        if r.unseen:
            print(
                f"      ({r.unseen} of {len(r.ms)} runs never showed 'running' in the DOM: timed by the server's answers)"
            )
        if r.report:
            print(f"      ({r.report})")
        for e in r.errors:
            print(f"      ! {e}")
    print(
        f"  floor median (both floor rows) {floor:.0f} ms; target: every page's ratio <= 1.50. 'touched': "
        "charts with a DOM change in a step (median); 'nodes': DOM elements on the page; 'sent': key press → the browser sends the rerun "
        "request (the slider's debounce; median ms); '1st/last msg': key press → the server's first / last "
        "websocket message of the rerun arrives (median ms; the end of the server's part); 'idle': key press → "
        "the DOM shows the script state notRunning (median ms); 'long tasks': count/longest ms over all measured presses"
    )
    return floor


# ---- heavy links (issue 11) --------------------------------------------------------------------------


def chain(names: str) -> str:
    """`x/y/z/x/…` with MAX_NAMES names: the largest such formula the parser accepts."""
    return "/".join(names[i % len(names)] for i in range(MAX_NAMES))


def link_cases() -> list[tuple[str, str, dict[str, str]]]:
    """(page, label, query) for each page that takes a typed formula: its default, then the largest."""
    return [
        ("derivatives", "default x**3 - 2*sin(x)", {"fn": "custom"}),
        ("derivatives", "x/x/…/x (299 chars)", {"fn": "custom", "expr": chain("x")}),
        ("autodiff", "default (x*y + z) * sin(x)", {"preset": "expression"}),
        ("autodiff", "x/x/…/x (299 chars)", {"preset": "expression", "expr": chain("x")}),
        ("autodiff", "x/y/z/…  (299 chars)", {"preset": "expression", "expr": chain("xyz")}),
        ("gradient_checking", "default x**3 * y + sin(y * z)", {"mode": "function"}),
        ("gradient_checking", "x/x/…/x (299 chars)", {"mode": "function", "expr": chain("x")}),
        ("gradient_checking", "x/y/z/…  (299 chars)", {"mode": "function", "expr": chain("xyz")}),
    ]


def measure_load(browser, url: str, landmark: str | None = "h1", shot: str | None = None) -> dict:
    ctx, pg, errors = new_page(browser)
    try:
        pg.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        r = pg.evaluate("([q, t, l]) => window.__bb.load(q, t, l)", [QUIET_MS, LOAD_TIMEOUT_MS, landmark])
        r["errors"] = errors[:3]
        if shot:
            SHOTS.mkdir(exist_ok=True)
            pg.screenshot(path=str(SHOTS / f"{shot}.png"))
    finally:
        ctx.close()
    return r


def measure_links(browser, base: str, floor_base: str, loads: int, pages: list[str] | None) -> None:
    print(
        f"Pages opened from a link, headless Chromium {VIEWPORT['width']}x{VIEWPORT['height']}: navigation "
        "start → the page idle with its charts drawn (the frame showing its last DOM change)"
    )
    print(
        f"  {'page':<19}{'formula in the link':<31}{'cold ms':>9}{'warm ms':>9}{'/floor':>8}{'/default':>10}{'longest task':>14}"
        f"{'long tasks':>12}{'DOM nodes':>11}{'charts':>8}"
    )
    cases = [("floor app", "(one slider, one chart)", floor_base, None)]
    for page, label, query in link_cases():
        if not pages or page in pages:
            cases.append((page, label, f"{base}/{page}?{urllib.parse.urlencode(query)}", "h1"))
    warm_ms: dict[str, float] = {}  # the floor's and each page's default formula's warm median
    for i, (page, label, url, landmark) in enumerate(cases):
        cold = measure_load(browser, url, landmark, shot=f"bench-link-{i}-{page}")
        warm = [measure_load(browser, url, landmark) for _ in range(loads)]
        every = [cold, *warm]
        bad = [r for r in every if not r["ok"]]
        if bad:
            print(f"  {page:<19}{label:<31}  ! {bad[0]['why']} after {bad[0]['ms']:.0f} ms")
            continue
        longest = max(r["longest"] for r in every)
        count = pct([len(r["tasks"]) for r in every], 0.5)
        w = pct([r["ms"] for r in warm], 0.5)
        warm_ms.setdefault(page, w)  # the first case of a page is its default formula
        vs_floor, vs_default = w / warm_ms["floor app"], w / warm_ms[page]
        print(
            f"  {page:<19}{label:<31}{cold['ms']:>9.0f}{w:>9.0f}{vs_floor:>7.2f}x{vs_default:>9.2f}x"
            f"{longest:>12.0f} ms{count:>12.0f}"
            f"{cold['nodes']:>11,}{cold['charts']:>8}"
        )
        for r in every:
            if r["exception"]:
                print("      ! the page shows an exception")
                break
        for e in cold["errors"]:
            print(f"      ! page error: {e}")
    print(
        f"  target: any accepted input draws in <= 2,000 ms. 'warm': median of {loads} loads after the first (the "
        "server's caches warm); '/floor', '/default': warm ms against the floor app's and the page's default "
        "formula's; 'longest task': over all loads of the link; 'long tasks': median count per load. "
        f"Screenshots of the cold loads: {SHOTS}/bench-link-*.png"
    )


def measure_typed(browser, base: str, pages: list[str] | None, repeats: int = 3) -> None:
    """Issue 11 as a student meets it: the page is open; type a formula into its box and press Enter.
    Time from Enter to the page idle with its charts drawn (as for a slider step), for the largest
    accepted formula against the page's default one typed the same way."""
    print(
        "Formulas typed into an open page (Enter → the page idle with its charts drawn), median of "
        f"{repeats}; the page's default typed back in between"
    )
    print(f"  {'page':<19}{'formula typed':<31}{'median ms':>10}{'max ms':>8}{'longest task':>14}")
    for page, label, query in link_cases():
        if "expr" not in query or (pages and page not in pages):
            continue
        ctx, pg, errors = new_page(browser)
        try:
            base_query = {k: v for k, v in query.items() if k != "expr"}
            pg.goto(f"{base}/{page}?{urllib.parse.urlencode(base_query)}")
            wait_ready(pg, timeout=LOAD_TIMEOUT_MS, settle_ms=500)
            box = pg.locator("[data-testid=stTextInput] input").first
            default = box.input_value()
            rows: dict[str, list[dict]] = {"default": [], label: []}
            for _ in range(repeats):
                for name, text in (("default", default), (label, query["expr"])):
                    box.fill(text)
                    pg.evaluate("() => window.__bb.arm()")
                    box.press("Enter")
                    r = pg.evaluate("([q, t]) => window.__bb.step(q, t)", [QUIET_MS, STEP_TIMEOUT_MS])
                    if r.get("ok"):
                        rows[name].append(r)
            for name, got in rows.items():
                if not got:
                    print(f"  {page:<19}{name:<31}  ! no measurement")
                    continue
                ms = [r["ms"] for r in got]
                longest = max((t for r in got for t in r["tasks"]), default=0.0)
                print(f"  {page:<19}{name:<31}{pct(ms, 0.5):>10.0f}{max(ms):>8.0f}{longest:>11.0f} ms")
        finally:
            ctx.close()
    print("  target: any accepted input draws in <= 2,000 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10, help="measured key presses per page")
    parser.add_argument("--warmup", type=int, default=2, help="key presses before measuring, per page")
    parser.add_argument("--pages", default="", help="comma-separated url paths (default: every page)")
    parser.add_argument("--slider", default="", help="step this slider (its label) instead of the main one")
    parser.add_argument("--no-steps", action="store_true", help="skip the slider steps (issue 17)")
    parser.add_argument("--no-links", action="store_true", help="skip the heavy links (issue 11)")
    parser.add_argument("--loads", type=int, default=3, help="warm loads per link, after the cold one")
    parser.add_argument("--no-typed", action="store_true", help="skip the formulas typed into an open page")
    parser.add_argument(
        "--component-floor",
        action="store_true",
        help="also step benchmarks/component_floor_app.py (the floor's line drawn by one component), a reference row",
    )
    args = parser.parse_args()
    names = [n for n in args.pages.split(",") if n] or None
    from playwright.sync_api import sync_playwright

    t0 = time.monotonic()
    print(f"load average at start: {load_average()} (2-core machine: {os.cpu_count()} CPUs seen)")
    with (
        sync_playwright() as p,
        streamlit_server("bench-app") as app,
        streamlit_server("bench-floor", app_file="benchmarks/floor_app.py") as floor_base,
    ):
        browser = launch_chromium(p)
        if not args.no_steps:
            floors = [measure_steps(browser, floor_base, "floor app (before)", args.n, args.warmup, None)]
            rows = [
                measure_steps(
                    browser,
                    f"{app}/{pg.url_path}",
                    pg.url_path,
                    args.n,
                    args.warmup,
                    "h1",
                    args.slider or None,
                )
                for pg in app_pages(names)
            ]
            floors.append(measure_steps(browser, floor_base, "floor app (after)", args.n, args.warmup, None))
            if args.component_floor:  # a reference row, not part of the floor median
                with streamlit_server(
                    "bench-component", app_file="benchmarks/component_floor_app.py"
                ) as comp:
                    rows.append(measure_steps(browser, comp, "component floor", args.n, args.warmup, None))
            print_steps(rows, floors)
            print(f"load average after the steps: {load_average()}")
        if not args.no_links:
            measure_links(browser, app, floor_base, args.loads, names)
            print(f"load average after the links: {load_average()}")
        if not args.no_typed:
            measure_typed(browser, app, names)
            print(f"load average after the typed formulas: {load_average()}")
        browser.close()
    print(f"total {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()
