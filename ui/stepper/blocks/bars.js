// Stepper block "bars": grouped bars per category, one series per group (the first solid, the others
// hollow outlines, as ui/charts/bars.grouped_bars draws them), a zero line and a legend on top. The value
// axis is fixed over every frame (spec.domain), so a step moves bars, never the axis under them.
// spec: {title, labels[], series: [{name, colour: {light, dark}, values: [frame][i]}], domain: [lo, hi],
//        yTitle, alt: [frame] | str, perFrame}

function niceTicks(lo, hi, count) {
  const span = hi - lo || 1;
  const step0 = span / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function fmtTick(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(0);
  return String(Number(v.toPrecision(6)));
}

function fmtValue(v) {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}

function barsLayout(S, spec, W) {
  // text and margins follow the root font: presentation mode's 1.5x, like the Vega charts' text
  const k = textScale();
  let H = (spec.height || 300) * k;
  const slanted = spec.labels.length > 6 || W < 60 * spec.labels.length;
  // legend rows first (a swatch and a name per series, wrapped at the width): they set the top margin
  const items = [], rowH = 18 * k, left = 58 * k;
  let lx = left, ly = 0;
  spec.series.forEach((s, j) => {
    const need = (20 + 8.2 * s.name.length) * k;
    if (lx + need > W - 8 && lx > left) { lx = left; ly += rowH; }
    items.push({ x: lx, y: ly, j, name: s.name });
    lx += need + 22 * k;
  });
  const m = { l: left, r: 8, t: ly + 30 * k, b: (slanted ? 64 : 30) * k };
  H += ly;
  S.holder.replaceChildren();
  const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "font-size": 14 * k }, S.holder);
  svg.style.display = "block";
  const title = svgEl("title", {}, svg);
  const [lo, hi] = spec.domain;
  const y = (v) => m.t + (H - m.t - m.b) * (hi - v) / (hi - lo || 1);
  const axis = svgEl("g", {}, svg);
  for (const t of niceTicks(lo, hi, 5)) {
    svgEl("line", { x1: m.l, x2: W - m.r, y1: y(t), y2: y(t), "stroke-opacity": 0.18, class: "gls-fg" }, axis);
    const tx = svgEl("text", { x: m.l - 6, y: y(t), "text-anchor": "end", "dominant-baseline": "central", class: "gls-fgt" }, axis);
    tx.textContent = fmtTick(t);
  }
  const yt = svgEl("text", { transform: `translate(${13 * k} ${(m.t + H - m.b) / 2}) rotate(-90)`, "text-anchor": "middle",
    "font-weight": 600, class: "gls-fgt" }, axis);
  yt.textContent = spec.yTitle || "";
  const n = spec.labels.length, ns = spec.series.length;
  const band = (W - m.l - m.r) / Math.max(1, n), inner = band * 0.8 / ns;
  const rects = [];
  spec.labels.forEach((lab, i) => {
    const cx = m.l + band * (i + 0.5);
    const t = svgEl("text", slanted
      ? { transform: `translate(${cx} ${H - m.b + 10}) rotate(-45)`, "text-anchor": "end", class: "gls-fgt" }
      : { x: cx, y: H - m.b + 17 * k, "text-anchor": "middle", class: "gls-fgt" }, axis);
    t.textContent = lab;
    spec.series.forEach((s, j) => {
      const r = svgEl("rect", { x: m.l + band * i + band * 0.1 + inner * j + 1.5, width: Math.max(1, inner - 3),
        "stroke-width": 2.5 }, svg);
      rects.push({ r, tip: svgEl("title", {}, r), i, j });
    });
  });
  svgEl("line", { x1: m.l, x2: W - m.r, y1: y(0), y2: y(0), "stroke-width": 1.2, class: "gls-fg" }, svg);
  for (const it of items) {
    const sw = svgEl("rect", { x: it.x, y: it.y + 5 * k, width: 14 * k, height: 12 * k, "stroke-width": 2 }, svg);
    const t = svgEl("text", { x: it.x + 20 * k, y: it.y + 11 * k, "dominant-baseline": "central", class: "gls-fgt" }, svg);
    t.textContent = it.name;
    rects.push({ r: sw, legend: true, j: it.j });
  }
  Object.assign(S, { svg, title, rects, y, W });
}

BLOCKS.bars = {
  build(host, spec, frame, ctx) {
    const wrap = h("div", "gls-chart", host);
    if (spec.title) h("div", "gls-chart-title", wrap, spec.title);
    const S = { holder: h("div", null, wrap), frame: 0, W: 0 };
    const fit = () => {
      const W = Math.max(240, Math.floor(wrap.clientWidth || 480));
      if (Math.abs(W - S.W) < 2) return;
      barsLayout(S, spec, W);
      BLOCKS.bars.paint(S, spec, S.frame, ctx);
    };
    new ResizeObserver(() => requestAnimationFrame(fit)).observe(wrap);
    barsLayout(S, spec, 480);
    return S;
  },
  paint(S, spec, frame, ctx) {
    S.frame = frame;
    const dark = ctx.data.theme === "dark";
    const fg = ctx.data.ink.text;  // ui/palette.py's TEXT for the theme
    for (const e of S.svg.querySelectorAll(".gls-fg")) e.setAttribute("stroke", fg);
    for (const e of S.svg.querySelectorAll(".gls-fgt")) e.setAttribute("fill", fg);
    const alt = at(spec, "alt", frame);
    S.title.textContent = alt || ""; S.svg.setAttribute("aria-label", alt || "");
    for (const { r, tip, i, j, legend } of S.rects) {
      const s = spec.series[j], colour = dark ? s.colour.dark : s.colour.light;
      r.setAttribute("stroke", colour);
      r.setAttribute("fill", colour);
      r.setAttribute("fill-opacity", j === 0 ? 1 : 0.15);
      if (legend) continue;
      const v = s.values[Math.min(frame, s.values.length - 1)][i];
      const y0 = S.y(0), y1 = S.y(Number.isFinite(v) ? v : 0);
      r.setAttribute("y", Math.min(y0, y1)); r.setAttribute("height", Math.max(0.5, Math.abs(y1 - y0)));
      tip.textContent = `${spec.labels[i]}, ${s.name}: ${fmtValue(v)}`;
    }
  },
};
