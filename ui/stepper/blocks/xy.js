// Stepper block "xy": a line/point chart (ui/stepper.py `xy`). Static series are drawn once per width; a step
// only moves the per-frame marks (vertical rules, points) and rewrites the alt text. Linear or log axes (log:
// ticks at powers of ten), fixed over every frame (spec.xDomain, spec.yDomain). Drawn at the container's
// real pixel width (a ResizeObserver redraws it when that changes). Colours come from the payload
// ({light, dark} per item, ctx.data.ink for text and axes), dashes from ui/palette.py's DASHES.
// spec: {title, xTitle, yTitle, logX, logY, xDomain, yDomain, height, alt: [frame] | str, perFrame,
//        items: [{kind: "line", name, colour, dash, x[], y[], dots}
//               | {kind: "rule", name, colour, dash, x: [frame], label: [frame]}
//               | {kind: "points", name, colour, xy: [frame][[x, y]], tips?: [frame][]}]}
// Optional, additive (Activations): per-frame domains xDomains/yDomains: [frame][lo, hi] (a step relays the
// chart out); lanes: [name] (a strip under the plot, one row per name, for bands with a lane); hover: true (a
// pointer over the plot marks every line at its x, with a tangent on lines that carry `slope`; a string: the
// name of a group of charts that follow the pointer together, e.g. f and f′ side by side);
// items {kind: "band", name, colour, x: [frame][[x0, x1]], lane?: i, opacity?, tip?} (shaded x intervals, over the
// plot's height or in lane i); points may carry labels?: [frame][] (text beside each) and shape?: "diamond";
// lines may carry slope?: [] (dy/dx at each x, for the hover tangent).
// Optional, additive (Losses, Gradients): a line whose curve changes with the position lists perFrame: ["y",
// "slope"?] (and "x" when its x moves too) and carries them as [frame][i], or in the picked form {__pick,
// __items} (expanded here if the stepper has not already); a step redraws its path when the frame's differs.
// A line with noHover: true is passed by the hover (no dot, no value: e.g. a tangent drawn as a line).
// Points (xy, tips, labels) may come in the picked form too (Gradients).
// Top-level names start with "xy" (every block file shares one module scope).

let xyClipCount = 0;

function xyOf(list, frame) {
  if (list && Array.isArray(list.__pick)) return list.__items[list.__pick[Math.min(frame, list.__pick.length - 1)]];
  return list && list.length ? list[Math.min(frame, list.length - 1)] : null;
}

const xyExpanded = new WeakMap();  // a picked field -> its list per frame (built once: the same lists every time)

// An item's field at a frame: it[name][frame] when the item lists it in perFrame, else it[name].
function xyField(it, name, frame) {
  let v = it[name];
  if (v && !Array.isArray(v) && Array.isArray(v.__pick)) {
    let e = xyExpanded.get(v);
    if (!e) { e = v.__pick.map((i) => v.__items[i]); xyExpanded.set(v, e); }
    v = e;
  }
  return it.perFrame && it.perFrame.includes(name) ? xyOf(v, frame) : v;
}

function xyMoving(it) { return !!(it.perFrame && (it.perFrame.includes("y") || it.perFrame.includes("x"))); }

// A dot at every drawable (xs[i], ys[i]), in g; returns them (the caller colours them).
function xyDots(g, X, Y, xs, ys) {
  const out = [];
  (xs || []).forEach((xv, i) => {
    const yv = ys ? ys[i] : null;
    if (X.ok(xv) && Y.ok(yv)) out.push(svgEl("circle", { cx: X(xv), cy: Y(yv), r: 2.5 }, g));
  });
  return out;
}

// The SVG path through (xs[i], ys[i]); a point that cannot be drawn breaks it.
function xyPath(X, Y, xs, ys) {
  let d = "", pen = false;
  (xs || []).forEach((xv, i) => {
    const yv = ys ? ys[i] : null;
    if (!X.ok(xv) || !Y.ok(yv)) { pen = false; return; }
    d += `${pen ? "L" : "M"}${X(xv).toFixed(1)} ${Y(yv).toFixed(1)}`;
    pen = true;
  });
  return d;
}

function xyScale(lo, hi, log, a, b) {
  if (log) {
    const l0 = Math.log10(lo), l1 = Math.log10(hi);
    const f = (v) => (v > 0 ? a + (b - a) * (Math.log10(v) - l0) / (l1 - l0 || 1) : NaN);
    f.ok = (v) => v !== null && Number.isFinite(v) && v > 0;
    f.inv = (p) => Math.pow(10, l0 + (l1 - l0) * (p - a) / (b - a || 1));
    return f;
  }
  const f = (v) => a + (b - a) * (v - lo) / (hi - lo || 1);
  f.ok = (v) => v !== null && Number.isFinite(v);
  f.inv = (p) => lo + (hi - lo) * (p - a) / (b - a || 1);
  return f;
}

function xyTicks(lo, hi, log, room) {
  const count = Math.max(2, Math.floor(room));
  if (log) {
    const a = Math.ceil(Math.log10(lo) - 1e-9), b = Math.floor(Math.log10(hi) + 1e-9);
    const every = Math.max(1, Math.ceil((b - a + 1) / count));
    const out = [];
    for (let k = b; k >= a; k -= every) out.unshift(k);  // the top decade always labelled
    return out.map((k) => ({ v: Math.pow(10, k), text: k === 0 ? "1" : k === 1 ? "10" : `1e${k}` }));
  }
  const span = hi - lo || 1;
  const mag = Math.pow(10, Math.floor(Math.log10(span / count)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    const x = Math.abs(v) < step * 1e-9 ? 0 : v, a = Math.abs(x);
    out.push({ v: x, text: a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(0) : String(Number(x.toPrecision(6))) });
  }
  return out;
}

function xyNumber(v) {
  if (v === null || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

function xyText(parent, attrs, text) {
  const t = svgEl("text", { class: "gls-fgt", ...attrs }, parent);
  t.textContent = text;
  return t;
}

function xyLayout(S, spec, W) {
  // text scales with the page's root font (presentation mode sets it to 150 %), and the margins with it
  const k = textScale();
  const H0 = (spec.height || 320) * Math.min(k, 1.25);
  // the legend first: a swatch and a name per item, wrapped at the width; it sets the top margin
  const legend = [], rowH = 20 * k;
  let lx = 8, ly = 2;
  spec.items.forEach((it, j) => {
    if (!it.name) return;
    const need = (30 + 7.9 * it.name.length) * k;
    if (lx + need > W - 8 && lx > 8) { lx = 8; ly += rowH; }
    legend.push({ x: lx, y: ly, j });
    lx += need + 18 * k;
  });
  const m = { l: 70 * k, r: 20 * k, t: ly + rowH + 14 * k, b: 48 * k };
  const H = H0 + ly;
  S.holder.replaceChildren();
  const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "font-size": 14 * k }, S.holder);
  svg.style.display = "block";
  const title = svgEl("title", {}, svg);
  // spec.lanes: a strip under the plot, within the chart's height (ui.stepper.xy adds its rows to `height`)
  const lanes = spec.lanes || [], laneH = 18 * k, laneGap = lanes.length ? 8 * k : 0;
  const stripH = lanes.length * laneH;
  m.l = Math.max(m.l, lanes.length ? (14 + 7.9 * Math.max(...lanes.map((n) => n.length))) * k : 0);
  m.b += laneGap + stripH;
  S.laidFrame = S.frame;  // per-frame domains (spec.xDomains, spec.yDomains): this frame's
  const [x0, x1] = xyOf(spec.xDomains, S.frame) || spec.xDomain, [y0, y1] = xyOf(spec.yDomains, S.frame) || spec.yDomain;
  const X = xyScale(x0, x1, spec.logX, m.l, W - m.r), Y = xyScale(y0, y1, spec.logY, H - m.b, m.t);
  const axis = svgEl("g", {}, svg);
  for (const t of xyTicks(y0, y1, spec.logY, (H - m.t - m.b) / (30 * k))) {
    const y = Y(t.v);
    svgEl("line", { x1: m.l, x2: W - m.r, y1: y, y2: y, "stroke-opacity": 0.14, class: "gls-fg" }, axis);
    xyText(axis, { x: m.l - 6, y, "text-anchor": "end", "dominant-baseline": "central" }, t.text);
  }
  for (const t of xyTicks(x0, x1, spec.logX, (W - m.l - m.r) / (62 * k))) {
    const x = X(t.v);
    svgEl("line", { x1: x, x2: x, y1: m.t, y2: H - m.b + laneGap + stripH, "stroke-opacity": 0.14, class: "gls-fg" }, axis);
    xyText(axis, { x, y: H - 32 * k, "text-anchor": "middle" }, t.text);
  }
  svgEl("rect", { x: m.l, y: m.t, width: W - m.l - m.r, height: H - m.t - m.b, fill: "none",
    "stroke-opacity": 0.5, class: "gls-fg" }, axis);
  xyText(axis, { x: (m.l + W - m.r) / 2, y: H - 8 * k, "text-anchor": "middle", "font-weight": 600 }, spec.xTitle || "");
  xyText(axis, { transform: `translate(${14 * k} ${(m.t + H - m.b) / 2}) rotate(-90)`, "text-anchor": "middle",
    "font-weight": 600 }, spec.yTitle || "");
  lanes.forEach((name, i) => {  // the strip: one row per lane, its name on the left
    const y = H - m.b + laneGap + i * laneH;
    svgEl("rect", { x: m.l, y, width: W - m.l - m.r, height: laneH, fill: "none", "stroke-opacity": 0.3,
      class: "gls-fg" }, axis);
    xyText(axis, { x: m.l - 6, y: y + laneH / 2, "text-anchor": "end", "dominant-baseline": "central" }, name);
  });
  // the plot area clips what is drawn in it (a line leaving the fixed domain)
  const clip = `gls-xy-clip-${++xyClipCount}`;
  svgEl("rect", { x: m.l, y: m.t, width: W - m.l - m.r, height: H - m.t - m.b },
    svgEl("clipPath", { id: clip }, svgEl("defs", {}, svg)));
  const plot = svgEl("g", { "clip-path": `url(#${clip})` }, svg);
  const shade = svgEl("g", {}, plot), strip = svgEl("g", {}, svg);  // bands: under the lines; in the strip
  const marks = svgEl("g", {}, svg);  // rules' labels and points: above the lines, not clipped
  const coloured = [], rules = [], points = [], bands = [], lines = [];
  spec.items.forEach((it, j) => {
    const dash = (it.dash || []).join(" ");
    if (it.kind === "line") {
      const moving = xyMoving(it);
      const p = svgEl("path", { d: moving ? "" : xyPath(X, Y, it.x, it.y), fill: "none", "stroke-width": 2.5,
        "stroke-dasharray": dash, "stroke-linejoin": "round" }, plot);
      coloured.push({ e: p, j, attr: "stroke" });
      if (moving) lines.push({ it, j, path: p, dots: it.dots ? svgEl("g", {}, plot) : null, last: null });
      else if (it.dots) for (const c of xyDots(plot, X, Y, it.x, it.y)) coloured.push({ e: c, j, attr: "fill" });
    } else if (it.kind === "rule") {
      const line = svgEl("line", { y1: m.t, y2: H - m.b, "stroke-width": 2, "stroke-dasharray": dash }, plot);
      // the label in the text colour (a series colour on the background can be < 4.5:1), on a halo
      const label = xyText(marks, { y: m.t + (14 + 16 * rules.length) * k, "font-weight": 600,
        "paint-order": "stroke", "stroke-width": 5, "stroke-linejoin": "round", class: "gls-xy-halo gls-fgt" }, "");
      coloured.push({ e: line, j, attr: "stroke" });
      rules.push({ it, line, label });
    } else if (it.kind === "points") {
      points.push({ it, j, g: svgEl("g", {}, marks), last: null });
    } else if (it.kind === "band") {
      bands.push({ it, j, g: svgEl("g", {}, Number.isInteger(it.lane) ? strip : shade), last: null });
    }
  });
  for (const { x, y, j } of legend) {
    const it = spec.items[j], dash = (it.dash || []).join(" ");
    const g = svgEl("g", {}, svg);
    if (it.kind === "band") {
      coloured.push({ e: svgEl("rect", { x: x + 3 * k, y: y + 2 * k, width: 16 * k, height: 14 * k,
        "fill-opacity": it.opacity || 0.25 }, g), j, attr: "fill" });
    } else if (it.kind === "points") {
      coloured.push({ e: svgEl("circle", { cx: x + 11 * k, cy: y + 9 * k, r: 5, "stroke-width": 1.5, class: "gls-xy-ring" }, g), j, attr: "fill" });
    } else if (it.kind === "rule") {
      coloured.push({ e: svgEl("line", { x1: x + 11 * k, x2: x + 11 * k, y1: y + k, y2: y + 17 * k, "stroke-width": 2,
        "stroke-dasharray": dash }, g), j, attr: "stroke" });
    } else {
      coloured.push({ e: svgEl("line", { x1: x, x2: x + 24 * k, y1: y + 9 * k, y2: y + 9 * k, "stroke-width": 2.5,
        "stroke-dasharray": dash }, g), j, attr: "stroke" });
    }
    xyText(g, { x: x + 30 * k, y: y + 9 * k, "dominant-baseline": "central" }, it.name);
  }
  Object.assign(S, { svg, title, X, Y, W, m, H, k, coloured, rules, points, bands, lines,
    lane: { top: H - m.b + laneGap, h: laneH } });
  if (spec.hover) xyHover(S, spec, plot);
}

// The hover (spec.hover): where the pointer is over the plot, a dashed rule, a dot on every line (linear
// between its points), a tangent on lines with `slope`, and their values in the corner away from it.
function xyAt(it, xv, frame) {
  const xs = xyField(it, "x", frame), ys = xyField(it, "y", frame), slope = xyField(it, "slope", frame);
  if (!xs || !ys) return null;
  let lo = 0, hi = xs.length - 1;
  while (lo < hi && (xs[lo] === null)) lo++;
  while (hi > lo && (xs[hi] === null)) hi--;
  if (hi <= lo || xv < xs[lo] || xv > xs[hi]) return null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] !== null && xs[mid] <= xv) lo = mid; else hi = mid;
  }
  const [a, b] = [xs[lo], xs[hi]], ya = ys[lo], yb = ys[hi];
  if (a === null || b === null || ya === null || yb === null) return null;
  const t = b > a ? (xv - a) / (b - a) : 0;
  const out = { y: ya + t * (yb - ya) };
  if (slope && slope[lo] !== null && slope[hi] !== null) out.s = slope[lo] + t * (slope[hi] - slope[lo]);
  return out;
}

const xyLinked = new Map();  // hover group name -> the drawings that follow one pointer together

function xyHover(S, spec, plot) {
  const { m, W, H, X, Y, k } = S;
  const g = svgEl("g", { "pointer-events": "none" }, S.svg);
  const lines = spec.items.map((it, j) => ({ it, j })).filter(({ it }) => it.kind === "line" && !it.noHover);
  const catcher = svgEl("rect", { x: m.l, y: m.t, width: W - m.l - m.r, height: H - m.t - m.b, fill: "transparent",
    "pointer-events": "all" }, S.svg);
  const clear = () => g.replaceChildren();
  const draw = (xv) => {
    clear();
    S.hoverX = xv;  // a step under a still pointer redraws it (per-frame lines move)
    if (xv === null) return;
    const px = X(xv);
    if (!(px >= m.l && px <= W - m.r)) return;
    const ink = S.ink || {};
    svgEl("line", { x1: px, x2: px, y1: m.t, y2: H - m.b, stroke: ink.muted, "stroke-dasharray": "4 4" }, g);
    const half = (S.X.inv(W - m.r) - S.X.inv(m.l)) * 0.07;
    const rows = [];
    for (const { it } of lines) {
      const got = xyAt(it, xv, S.frame);
      if (!got || !Y.ok(got.y)) continue;
      const colour = S.colourOf(it);
      if (got.s !== undefined && Number.isFinite(got.s)) {
        svgEl("line", { x1: X(xv - half), x2: X(xv + half), y1: Y(got.y - got.s * half), y2: Y(got.y + got.s * half),
          stroke: colour, "stroke-width": 2, "stroke-dasharray": "6 4", "clip-path": plot.getAttribute("clip-path") }, g);
      }
      const cy = Y(got.y);
      if (cy >= m.t && cy <= H - m.b) {
        svgEl("circle", { cx: px, cy, r: 4.5, fill: colour, stroke: ink.background, "stroke-width": 1.5 }, g);
      }
      rows.push([colour, `${it.name}: ${xyNumber(got.y)}` + (got.s !== undefined ? `, slope ${xyNumber(got.s)}` : "")]);
    }
    const left = px > (m.l + W - m.r) / 2;  // the readout away from the pointer
    const tx = left ? m.l + 8 : W - m.r - 8;
    const head = xyText(g, { x: tx, y: m.t + 14 * k, "text-anchor": left ? "start" : "end", "font-weight": 600,
      fill: ink.text, "paint-order": "stroke", stroke: ink.background, "stroke-width": 4 }, `x = ${xyNumber(xv)}`);
    head.classList.remove("gls-fgt");
    rows.forEach(([colour, text], i) => {
      // named, in the text colour (a series colour as text can be < 4.5:1 on the background)
      const t = xyText(g, { x: tx, y: m.t + (30 + 16 * i) * k, "text-anchor": left ? "start" : "end", fill: ink.text,
        "font-weight": 600, "paint-order": "stroke", stroke: ink.background, "stroke-width": 4 }, text);
      t.classList.remove("gls-fgt");
    });
  };
  // spec.hover a group name: every chart of the group (still on the page) follows the pointer over any one
  const group = typeof spec.hover === "string" ? spec.hover : null;
  const me = { svg: S.svg, draw };
  S.hoverDraw = draw;
  if (group) {
    const live = [...(xyLinked.get(group) || [])].filter((o) => o.svg.isConnected);
    xyLinked.set(group, [...live, me]);
  }
  const all = (xv) => {
    const members = group ? (xyLinked.get(group) || []).filter((o) => o.svg.isConnected || o === me) : [me];
    if (group) xyLinked.set(group, members);
    for (const o of members) o.draw(xv);
  };
  const move = (ev) => {
    const box = S.svg.getBoundingClientRect();
    const px = (ev.clientX - box.left) * (W / (box.width || W));
    all(px >= m.l && px <= W - m.r ? X.inv(px) : null);
  };
  catcher.addEventListener("pointermove", move);
  catcher.addEventListener("pointerdown", move);
  catcher.addEventListener("pointerleave", () => all(null));
}

function xySameAxes(spec, a, b) {
  const same = (list) => {
    if (!list) return true;
    const p = xyOf(list, a), q = xyOf(list, b);
    return p === q || (p && q && p[0] === q[0] && p[1] === q[1]);
  };
  return same(spec.xDomains) && same(spec.yDomains);
}

function xyColour(it, ctx) { return ctx.data.theme === "dark" ? it.colour.dark : it.colour.light; }

BLOCKS.xy = {
  build(host, spec, frame, ctx) {
    const wrap = h("div", "gls-chart", host);
    if (spec.title) h("div", "gls-chart-title", wrap, spec.title).style.fontSize = "0.9375rem";  // 15 px, 1.5× presenting
    const S = { holder: h("div", null, wrap), frame: 0, W: 0 };
    const fit = () => {
      const W = Math.max(260, Math.floor(wrap.clientWidth || 560));
      if (Math.abs(W - S.W) < 2) return;
      xyLayout(S, spec, W);
      BLOCKS.xy.paint(S, spec, S.frame, ctx, true);
    };
    new ResizeObserver(() => requestAnimationFrame(fit)).observe(wrap);
    xyLayout(S, spec, 560);
    S.fresh = true;
    return S;
  },
  paint(S, spec, frame, ctx, relaid) {
    if (!relaid && (spec.xDomains || spec.yDomains) && S.laidFrame !== frame) {  // per-frame axes: a new layout
      if (xySameAxes(spec, S.laidFrame, frame)) S.laidFrame = frame;  // unless this frame's are the same
      else {
        S.frame = frame;
        xyLayout(S, spec, S.W || 560);
        relaid = true;
      }
    }
    S.frame = frame;
    const ink = ctx.data.ink;
    S.ink = ink;
    S.colourOf = (it) => xyColour(it, ctx);
    if (relaid || S.fresh || S.theme !== ctx.data.theme) {  // a new drawing or theme: colour everything once
      S.fresh = false;
      S.theme = ctx.data.theme;
      for (const e of S.svg.querySelectorAll(".gls-fg")) e.setAttribute("stroke", ink.text);
      for (const e of S.svg.querySelectorAll(".gls-fgt")) e.setAttribute("fill", ink.text);
      for (const e of S.svg.querySelectorAll(".gls-xy-halo")) e.setAttribute("stroke", ink.background);
      for (const e of S.svg.querySelectorAll(".gls-xy-ring")) e.setAttribute("stroke", ink.background);
      for (const { e, j, attr } of S.coloured) e.setAttribute(attr, xyColour(spec.items[j], ctx));
      for (const p of S.points) p.last = null;
      for (const b of S.bands || []) b.last = null;
      for (const l of S.lines || []) l.last = l.lastX = undefined;
    }
    let moved = false;
    for (const l of S.lines || []) {  // per-frame curves: a new path when this frame's differs
      const ys = xyField(l.it, "y", frame), xs = xyField(l.it, "x", frame);
      if (l.last === ys && l.lastX === xs) continue;
      l.last = ys;
      l.lastX = xs;
      moved = true;
      l.path.setAttribute("d", xyPath(S.X, S.Y, xs, ys));
      if (l.dots) {
        l.dots.replaceChildren();
        const colour = xyColour(l.it, ctx);
        for (const c of xyDots(l.dots, S.X, S.Y, xs, ys)) c.setAttribute("fill", colour);
      }
    }
    if (moved && S.hoverDraw && S.hoverX !== null && S.hoverX !== undefined) S.hoverDraw(S.hoverX);
    const alt = at(spec, "alt", frame) || "";
    S.title.textContent = alt;
    S.svg.setAttribute("aria-label", alt);
    for (const { it, line, label } of S.rules) {
      const xv = xyOf(it.x, frame), text = xyOf(it.label, frame) || "";
      const show = S.X.ok(xv);
      line.setAttribute("visibility", show ? "visible" : "hidden");
      label.setAttribute("visibility", show && text ? "visible" : "hidden");
      if (!show) continue;
      const x = S.X(xv);
      line.setAttribute("x1", x); line.setAttribute("x2", x);
      const right = x > S.W - S.m.r - 7.8 * S.k * text.length - 8;  // near the right edge: the label on the left
      label.setAttribute("x", right ? x - 5 : x + 5);
      label.setAttribute("text-anchor", right ? "end" : "start");
      label.textContent = text;
    }
    for (const p of S.points) {
      const pts = xyOf(p.it.xy, frame) || [];
      if (p.last === pts) continue;
      p.last = pts;
      p.g.replaceChildren();
      const tips = xyOf(p.it.tips, frame) || [];
      const colour = xyColour(p.it, ctx);
      const labels = xyOf(p.it.labels, frame) || [];
      pts.forEach(([xv, yv], i) => {
        if (!S.X.ok(xv) || !S.Y.ok(yv)) return;
        const cx = S.X(xv), cy = S.Y(yv);
        const c = p.it.shape === "diamond"
          ? svgEl("path", { d: `M${cx} ${cy - 7}L${cx + 7} ${cy}L${cx} ${cy + 7}L${cx - 7} ${cy}Z`, fill: colour,
            stroke: ink.background, "stroke-width": 1.5 }, p.g)
          : svgEl("circle", { cx, cy, r: 5.5, fill: colour, stroke: ink.background, "stroke-width": 1.5 }, p.g);
        svgEl("title", {}, c).textContent = tips[i] || `${p.it.name}: ${xyNumber(xv)}, ${xyNumber(yv)}`;
        if (labels[i]) {
          const t = svgEl("text", { x: cx + 9, y: cy - 11, "font-weight": 700, fill: ink.text, stroke: ink.background,
            "stroke-width": 4, "paint-order": "stroke", "stroke-linejoin": "round" }, p.g);
          t.textContent = labels[i];
        }
      });
    }
    for (const b of S.bands || []) {
      const spans = xyOf(b.it.x, frame) || [];
      if (b.last === spans) continue;
      b.last = spans;
      b.g.replaceChildren();
      const inLane = Number.isInteger(b.it.lane);
      const [left, right] = [S.m.l, S.W - S.m.r];
      for (const [a, z] of spans) {
        if (!S.X.ok(a) || !S.X.ok(z)) continue;
        const xa = Math.max(left, Math.min(right, S.X(a))), xz = Math.max(left, Math.min(right, S.X(z)));
        if (xz - xa <= 0) continue;
        const r = svgEl("rect", inLane
          ? { x: xa, y: S.lane.top + b.it.lane * S.lane.h + 2, width: xz - xa, height: S.lane.h - 4 }
          : { x: xa, y: S.m.t, width: xz - xa, height: S.H - S.m.t - S.m.b },
        b.g);
        r.setAttribute("fill", xyColour(b.it, ctx));
        r.setAttribute("fill-opacity", b.it.opacity || (inLane ? 0.7 : 0.1));
        svgEl("title", {}, r).textContent = `${b.it.tip || b.it.name}: x from ${xyNumber(a)} to ${xyNumber(z)}`;
      }
    }
  },
};
