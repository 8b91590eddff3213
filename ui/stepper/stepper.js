// The stepper's mount: stepper_core.js and the block files come first in the same module.

function clampFrame(S, f) { return Math.max(0, Math.min(S.n - 1, Math.round(Number(f) || 0))); }

function buildAll(root, S, data) {
  S.n = data.n;
  const range = root.querySelector(".gls-range");
  range.max = String(data.n - 1);
  range.setAttribute("aria-label", data.label);
  root.setAttribute("aria-label", data.label);
  root.querySelector(".gls-name").firstChild || root.querySelector(".gls-name").appendChild(document.createTextNode(""));
  root.querySelector(".gls-name").firstChild.textContent = data.label;
  const label = root.querySelector(".gls-label");
  if (data.help) label.title = data.help; else label.removeAttribute("title");
  const bar = root.querySelector(".gls-buttons");
  bar.replaceChildren();
  S.buttons = (data.buttons || []).map((b) => {
    const btn = h("button", null, bar, b.text);
    btn.type = "button";
    btn.dataset.to = b.to;
    if (b.title) { btn.title = b.title; btn.setAttribute("aria-label", b.title); }
    return btn;
  });
  const host = root.querySelector(".gls-blocks");
  host.replaceChildren();
  S.blocks = data.blocks.map((spec) => ({ spec, S: BLOCKS[spec.type].build(host, spec, 0, S) }));
}

function render(root, S) {
  const f = S.frame, d = S.data;
  const range = root.querySelector(".gls-range");
  if (range.value !== String(f)) range.value = String(f);
  range.setAttribute("value", String(f));  // the attribute too: tests and benchmarks read it
  range.style.setProperty("--p", `${S.n > 1 ? (100 * f) / (S.n - 1) : 0}%`);  // the track's filled part
  const text = d.values ? d.values[f] : String(f);
  root.querySelector(".gls-value").textContent = text;
  range.setAttribute("aria-valuetext", text);
  root.dataset.frame = String(f);
  for (const b of S.buttons) {
    const to = b.dataset.to;
    b.disabled = (to === "first" || to === "prev") ? f === 0 : f === S.n - 1;
  }
  d.theme = themeOf(root);  // blocks read ctx.data.theme and ctx.data.ink (ui/palette.py's, for that theme)
  d.ink = d.inks[d.theme];
  for (const b of S.blocks) BLOCKS[b.spec.type].paint(b.S, b.spec, f, S);
  S.draws = (S.draws || 0) + 1;
}

function goto(root, S, f, byUser) {
  const g = clampFrame(S, f);
  if (g !== S.frame || themeOf(root) !== S.data.theme) { S.frame = g; render(root, S); }
  if (!byUser) return;
  clearTimeout(S.timer);
  S.timer = setTimeout(() => { if (S.frame !== S.shown) S.report(S.frame); }, S.data.reportMs || 700);
}

function wire(root, S) {
  if (window.matchMedia) {  // the system's colour scheme changed: so may the page's theme
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    // Streamlit follows it without a rerun, setting its colours a moment later: repaint once they are set
    const again = () => { if (S.blocks && root.isConnected) render(root, S); };
    mq.addEventListener && mq.addEventListener("change", () => { setTimeout(again, 60); setTimeout(again, 500); });
  }
  const range = root.querySelector(".gls-range");
  range.addEventListener("input", () => goto(root, S, Number(range.value), true));
  root.querySelector(".gls-buttons").addEventListener("click", (ev) => {
    const b = ev.target.closest("button");
    if (!b) return;
    const to = b.dataset.to;
    const f = to === "first" ? 0 : to === "last" ? S.n - 1 : to === "prev" ? S.frame - 1 : S.frame + 1;
    goto(root, S, f, true);
  });
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".gls");
  if (!root || !data || !data.blocks) return;
  let S = root.__gls;
  if (!S) {
    S = root.__gls = { id: null, seek: null, frame: -1, shown: null, timer: 0 };
    wire(root, S);
  }
  S.report = (f) => { S.shown = f; setStateValue("frame", f); };
  S.data = data;
  data.theme = themeOf(root);  // the theme shown, before any block is built or painted
  data.ink = data.inks[data.theme];
  if (S.id !== data.id) {
    S.id = data.id; S.seek = data.seek;
    buildAll(root, S, data);
    S.frame = -1; S.shown = data.frame;
    goto(root, S, data.frame, false);
    return;
  }
  // The same frames: the server moves the position only when it says it is news (a new seek: a link,
  // Back, a preset), never to echo a position this browser reported (the learner may have moved on since).
  if (data.seek !== S.seek) {
    S.seek = data.seek; S.shown = data.frame;
    clearTimeout(S.timer); goto(root, S, data.frame, false); return;
  }
  if (themeOf(root) !== S.data.theme) render(root, S);  // a rerun after a theme switch: recolour
}
