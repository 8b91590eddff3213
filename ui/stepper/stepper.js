// The stepper's mount: stepper_core.js and the block files come first in the same module.
// A stepper has one or more axes (sliders). Its frames are either every position of its one axis
// (data.frames null: frame k is position k) or the positions listed in data.frames (a window around the
// current one, see ui/stepper.py's `cross`). A step to a position the payload holds is drawn here and
// reported once the learner stops; a step outside it is shown waiting and reported at once, and the
// server's rerun sends the frames around it.

const MISS_MS = 120;  // a step outside the frames is reported this long after it (key repeats collapse)

const keyOf = (at) => at.join(",");

function clampAt(S, at) {
  return S.sizes.map((n, i) => Math.max(0, Math.min(n - 1, Math.round(Number(at[i]) || 0))));
}

function frameOf(S, at) {
  if (!S.index) return at[0];
  const f = S.index.get(keyOf(at));
  return f === undefined ? -1 : f;
}

// {"__items": [...], "__pick": [...]}: a per-frame field sent once per distinct value (ui/stepper.py's
// `picked`), expanded here into one entry per frame (shared references) before any block reads it.
function expandPicks(x) {
  if (Array.isArray(x)) { for (let i = 0; i < x.length; i++) x[i] = expandPicks(x[i]); return x; }
  if (x && typeof x === "object") {
    if (Array.isArray(x.__pick) && Array.isArray(x.__items)) return x.__pick.map((i) => x.__items[i]);
    for (const k of Object.keys(x)) x[k] = expandPicks(x[k]);
  }
  return x;
}

function axisRow(bar, ax, first) {
  // The first axis uses the template's label (tests and benchmarks know its classes); others are copies.
  const label = first || h("label", "gls-label", null);
  if (!first) {
    h("span", "gls-name", label);
    const v = h("span", "gls-value", label); v.setAttribute("aria-hidden", "true");
    const r = h("input", "gls-range", label);
    Object.assign(r, { type: "range", min: "0", step: "1" });
    bar.insertBefore(label, bar.querySelector(".gls-buttons"));
  }
  const name = label.querySelector(".gls-name");
  name.replaceChildren(document.createTextNode(ax.label));
  const range = label.querySelector(".gls-range");
  range.max = String(ax.values.length - 1);
  range.setAttribute("aria-label", ax.label);
  if (ax.help) label.title = ax.help; else label.removeAttribute("title");
  return { label, range, value: label.querySelector(".gls-value") };
}

function buildAll(root, S, data) {
  const axes = data.axes || [{ label: data.label, help: data.help, values: data.values }];
  S.sizes = axes.map((ax) => ax.values.length);
  S.n = S.sizes[0];
  S.index = null;
  if (data.frames) {
    S.index = new Map();
    data.frames.forEach((at, f) => S.index.set(keyOf(at), f));
  }
  const bar = root.querySelector(".gls-bar");
  const labels = [...bar.querySelectorAll(".gls-label")];
  labels.slice(1).forEach((l) => l.remove());
  S.axes = axes.map((ax, i) => ({ ...axisRow(bar, ax, i === 0 ? labels[0] : null), ax }));
  S.axes.forEach((a, i) => { if (!a.range.__gls) { a.range.__gls = true; a.range.addEventListener("input", () => stepAxis(root, S, i)); } });
  root.setAttribute("aria-label", axes.map((ax) => ax.label).join(", "));
  const buttons = root.querySelector(".gls-buttons");
  buttons.replaceChildren();
  S.buttons = (axes.length === 1 ? data.buttons || [] : []).map((b) => {
    const btn = h("button", null, buttons, b.text);
    btn.type = "button";
    btn.dataset.to = b.to;
    if (b.title) { btn.title = b.title; btn.setAttribute("aria-label", b.title); }
    return btn;
  });
  const host = root.querySelector(".gls-blocks");
  host.replaceChildren();
  S.blocks = data.blocks.map((spec) => ({ spec, S: BLOCKS[spec.type].build(host, spec, 0, S) }));
  S.painted = -1;
}

function renderBar(root, S) {
  S.axes.forEach((a, i) => {
    const k = S.at[i], n = S.sizes[i];
    if (a.range.value !== String(k)) a.range.value = String(k);
    a.range.setAttribute("value", String(k));  // the attribute too: tests and benchmarks read it
    a.range.style.setProperty("--p", `${n > 1 ? (100 * k) / (n - 1) : 0}%`);  // the track's filled part
    const text = a.ax.values[k];
    a.value.textContent = text;
    a.range.setAttribute("aria-valuetext", text);
  });
  root.dataset.frame = String(S.frame);
  root.dataset.at = keyOf(S.at);
  const f = S.at[0];
  for (const b of S.buttons) {
    const to = b.dataset.to;
    b.disabled = (to === "first" || to === "prev") ? f === 0 : f === S.n - 1;
  }
}

// Every position shown is announced, for the components that follow this stepper (ui/player.py's `follow`):
// window.__glsAt[key] holds the latest (a follower drawn later reads it), and a "gls-position" event tells
// the followers already on the page.
function announce(S, waiting) {
  const key = S.data && S.data.key;
  if (!key) return;
  const pos = { key, at: keyOf(S.at), waiting };
  const all = (window.__glsAt = window.__glsAt || {});
  const old = all[key];
  if (old && old.at === pos.at && old.waiting === waiting) return;
  all[key] = pos;
  document.dispatchEvent(new CustomEvent("gls-position", { detail: pos }));
}

function render(root, S) {
  renderBar(root, S);
  const waiting = S.frame < 0;
  root.classList.toggle("gls-wait", waiting);
  root.setAttribute("aria-busy", waiting ? "true" : "false");
  announce(S, waiting);
  if (waiting) return;  // the last frame stays on screen, dimmed, until the server's frames arrive
  const d = S.data;
  d.theme = themeOf(root);  // blocks read ctx.data.theme and ctx.data.ink (ui/palette.py's, for that theme)
  d.ink = d.inks[d.theme];
  for (const b of S.blocks) BLOCKS[b.spec.type].paint(b.S, b.spec, S.frame, S);
  S.painted = S.frame;
  S.draws = (S.draws || 0) + 1;
}

function schedule(S, ms) {
  clearTimeout(S.timer);
  S.timer = setTimeout(() => { if (keyOf(S.at) !== S.shown) S.report(S.at); }, ms);
}

function goto(root, S, at, byUser) {
  const target = clampAt(S, at);
  const f = frameOf(S, target);
  const moved = keyOf(target) !== keyOf(S.at || []);
  if (moved || f !== S.painted || themeOf(root) !== S.data.theme) { S.at = target; S.frame = f; render(root, S); }
  if (byUser) schedule(S, f < 0 ? MISS_MS : S.data.reportMs || 700);
}

function stepAxis(root, S, i) {
  const at = S.at.slice();
  at[i] = Number(S.axes[i].range.value);
  goto(root, S, at, true);
}

function wire(root, S) {
  if (window.matchMedia) {  // the system's colour scheme changed: so may the page's theme
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    // Streamlit follows it without a rerun, setting its colours a moment later: repaint once they are set
    const again = () => { if (S.blocks && root.isConnected) render(root, S); };
    mq.addEventListener && mq.addEventListener("change", () => { setTimeout(again, 60); setTimeout(again, 500); });
  }
  root.querySelector(".gls-buttons").addEventListener("click", (ev) => {
    const b = ev.target.closest("button");
    if (!b) return;
    const to = b.dataset.to, k = S.at[0];
    const f = to === "first" ? 0 : to === "last" ? S.n - 1 : to === "prev" ? k - 1 : k + 1;
    goto(root, S, [f], true);
  });
}

// A follower (ui/stepper.py's `follower`): no sliders of its own; it shows the frame of the position its leader
// stepper shows (data.lead: the leader's key; data.frames: the positions it holds; data.here: the server's),
// so a page can put a stepper's numbers below another component (e.g. a player) and still step them in the
// browser. A position it does not hold dims it until the leader's report brings the next payload.
function showLead(root, S) {
  const d = S.data;
  const pos = (window.__glsAt || {})[d.lead];
  const f = S.index.get(pos ? pos.at : d.here);
  const waiting = f === undefined;
  if (root.classList.contains("gls-wait") !== waiting) {
    root.classList.toggle("gls-wait", waiting);
    root.setAttribute("aria-busy", waiting ? "true" : "false");
  }
  root.dataset.at = pos ? pos.at : d.here;
  if (waiting || (f === S.painted && themeOf(root) === d.theme)) return;
  d.theme = themeOf(root);
  d.ink = d.inks[d.theme];
  for (const b of S.blocks) BLOCKS[b.spec.type].paint(b.S, b.spec, f, S);
  S.painted = f; S.frame = f;
  S.draws = (S.draws || 0) + 1;
}

function follow(root, S, data) {
  if (S.id !== data.id) {
    expandPicks(data.blocks);
    data.theme = themeOf(root);
    data.ink = data.inks[data.theme];
    S.id = data.id; S.data = data;
    S.index = new Map();
    data.frames.forEach((at, f) => S.index.set(keyOf(at), f));
    root.querySelector(".gls-bar").style.display = "none";
    root.setAttribute("aria-label", data.label || "");
    const host = root.querySelector(".gls-blocks");
    host.replaceChildren();
    S.blocks = data.blocks.map((spec) => ({ spec, S: BLOCKS[spec.type].build(host, spec, 0, S) }));
    S.painted = -1;
  }
  if (!S.listening) {
    S.listening = true;
    const on = (ev) => {
      if (!root.isConnected) { document.removeEventListener("gls-position", on); return; }
      if (S.data && ev.detail && ev.detail.key === S.data.lead) showLead(root, S);
    };
    document.addEventListener("gls-position", on);
  }
  showLead(root, S);
}

export default function (component) {
  const { parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".gls");
  if (!root) return;
  let S = root.__gls;
  // The payload arrives as one JSON string (ui/stepper.py encodes it once): parsed once per new string.
  const raw = component.data;
  let data = raw;
  if (typeof raw === "string") {
    if (S && S.raw === raw) data = S.parsed;
    else { data = JSON.parse(raw); if (S) { S.raw = raw; S.parsed = data; } }
  }
  if (!data || !data.blocks) return;
  if (data.lead) {  // a follower
    if (!S) S = root.__gls = { id: null, painted: -1, frame: -1, raw, parsed: data };
    follow(root, S, data);
    return;
  }
  if (!S) {
    S = root.__gls = { id: null, seek: null, at: null, frame: -1, painted: -1, shown: null, timer: 0, raw, parsed: data };
    wire(root, S);
  }
  S.report = (at) => {
    S.shown = keyOf(at);
    if (S.axes.length === 1) setStateValue("frame", at[0]); else setStateValue("at", at.slice());
  };
  const serverAt = data.at || [data.frame];
  if (S.id !== data.id) {
    expandPicks(data.blocks);
    data.theme = themeOf(root);  // the theme shown, before any block is built or painted
    data.ink = data.inks[data.theme];
    S.id = data.id; S.data = data;
    buildAll(root, S, data);
    // News from the server (a page drawn afresh, a link, Back, a preset) moves the position; otherwise the
    // browser stays where the learner is (it may have moved on while the server computed these frames).
    const news = data.seek !== S.seek || !S.at || S.at.length !== S.sizes.length;
    if (news) { S.seek = data.seek; clearTimeout(S.timer); }
    S.shown = keyOf(serverAt);
    const target = clampAt(S, news ? serverAt : S.at);
    S.at = null; S.painted = -1;
    goto(root, S, target, false);
    if (keyOf(S.at) !== S.shown) schedule(S, S.frame < 0 ? MISS_MS : S.data.reportMs || 700);
    return;
  }
  // The same frames: the server moves the position only when it says it is news (a new seek: a link,
  // Back, a preset), never to echo a position this browser reported (the learner may have moved on since).
  if (data.seek !== S.seek) {
    S.seek = data.seek; S.shown = keyOf(serverAt);
    clearTimeout(S.timer); goto(root, S, serverAt, false); return;
  }
  if (themeOf(root) !== S.data.theme) render(root, S);  // a rerun after a theme switch: recolour
}
