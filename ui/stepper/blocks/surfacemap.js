// Stepper block "surfacemap": a loss surface seen from above (ui/stepper_map.py `surfacemap`). Static per
// payload: the cells coloured by log10(loss − min) on the palette's sequential scale (spec.stops), the field of
// downhill arrows (a title on each head: ‖∇L‖ there), the axes with ticks and a colour legend. Per frame: the
// point (a title: its coordinates and loss), the ∇L arrow and the u arrow with their labels, and the alt text.
// Drawn at the container's width (a ResizeObserver redraws it), ~spec.height px high, less on a phone.
// spec: {title, xTitle, yTitle, legendTitle, domain: [[x0, x1], [y0, y1]], n: [nx, ny], shade: [ny * nx] (row
//   by row from the lowest w2), shadeDomain: [lo, hi], stops: [colour], field: {x, y, x2, y2, norm},
//   colours: {arrow, outline, gradient, direction, point}, height, point: [frame][x, y], tip: [frame],
//   grad: [frame][x2, y2, lx, ly] | null, u: [frame][x2, y2, lx, ly], alt: [frame], perFrame}
// Colours come from the payload (ui/palette.py), text from ctx.data.ink. Top-level names start with "sm".

let smCount = 0;

function smRgb(c) {
  const x = c.replace("#", "");
  return [0, 2, 4].map((i) => parseInt(x.slice(i, i + 2), 16));
}

function smColour(stops, t) {  // t in [0, 1] along the stops, linear between neighbours
  const k = stops.length - 1, p = Math.max(0, Math.min(1, t)) * k, i = Math.min(k - 1, Math.floor(p)), f = p - i;
  const a = smRgb(stops[i]), b = smRgb(stops[i + 1]);
  return `rgb(${a.map((v, j) => Math.round(v + f * (b[j] - v))).join(",")})`;
}

function smText(parent, attrs, text, ink) {
  const t = svgEl("text", { fill: ink.text, ...attrs }, parent);
  t.textContent = text;
  return t;
}

// An arrow from (x, y) to (x2, y2) in pixels: a shaft and a triangular head along it; `outline` underneath.
function smArrow(g, x, y, x2, y2, colour, width, head, outline) {
  const dx = x2 - x, dy = y2 - y, len = Math.hypot(dx, dy);
  if (!(len > 0.5)) return null;
  const ux = dx / len, uy = dy / len, hl = Math.min(head, len * 0.6), hw = hl * 0.55;
  const bx = x2 - ux * hl, by = y2 - uy * hl;
  const tri = `M${x2.toFixed(1)} ${y2.toFixed(1)}L${(bx - uy * hw).toFixed(1)} ${(by + ux * hw).toFixed(1)}` +
    `L${(bx + uy * hw).toFixed(1)} ${(by - ux * hw).toFixed(1)}Z`;
  if (outline) {
    svgEl("line", { x1: x, y1: y, x2: bx, y2: by, stroke: outline, "stroke-width": width + 3, "stroke-linecap": "round" }, g);
    svgEl("path", { d: tri, fill: outline, stroke: outline, "stroke-width": 3, "stroke-linejoin": "round" }, g);
  }
  svgEl("line", { x1: x, y1: y, x2: bx, y2: by, stroke: colour, "stroke-width": width, "stroke-linecap": "round" }, g);
  return svgEl("path", { d: tri, fill: colour }, g);
}

function smLayout(S, spec, W, ctx) {
  const k = textScale(), ink = ctx.data.ink;
  const H = Math.round(Math.min(spec.height || 470, Math.max(300, W * 0.95)) * Math.min(k, 1.25));
  const legendW = (W < 480 ? 58 : 74) * k;
  const m = { l: 58 * k, r: legendW + 8 * k, t: 10 * k, b: 46 * k };
  S.holder.replaceChildren();
  const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "font-size": 14 * k }, S.holder);
  svg.style.display = "block";
  const title = svgEl("title", {}, svg);
  const [[x0, x1], [y0, y1]] = spec.domain;
  const X = xyScale(x0, x1, false, m.l, W - m.r), Y = xyScale(y0, y1, false, H - m.b, m.t);
  // the cells: centres on a regular grid spanning the domain's cells
  const [nx, ny] = spec.n, [lo, hi] = spec.shadeDomain, stops = spec.stops;
  const cw = (x1 - x0) / nx, ch = (y1 - y0) / ny;
  const cells = svgEl("g", { "shape-rendering": "crispEdges" }, svg);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const v = spec.shade[r * nx + c];
      if (v === null) continue;
      const xa = X(x0 + c * cw), xb = X(x0 + (c + 1) * cw), ya = Y(y0 + (r + 1) * ch), yb = Y(y0 + r * ch);
      svgEl("rect", { x: xa.toFixed(1), y: ya.toFixed(1), width: (xb - xa + 0.6).toFixed(1), height: (yb - ya + 0.6).toFixed(1),
        fill: smColour(stops, (v - lo) / (hi - lo || 1)) }, cells);
    }
  }
  // axes: ticks on both, titles
  const axis = svgEl("g", {}, svg);
  for (const t of xyTicks(y0, y1, false, (H - m.t - m.b) / (34 * k))) {
    const y = Y(t.v);
    svgEl("line", { x1: m.l - 5, x2: m.l, y1: y, y2: y, stroke: ink.text }, axis);
    smText(axis, { x: m.l - 8, y, "text-anchor": "end", "dominant-baseline": "central" }, t.text, ink);
  }
  for (const t of xyTicks(x0, x1, false, (W - m.l - m.r) / (56 * k))) {
    const x = X(t.v);
    svgEl("line", { x1: x, x2: x, y1: H - m.b, y2: H - m.b + 5, stroke: ink.text }, axis);
    smText(axis, { x, y: H - m.b + 20 * k, "text-anchor": "middle" }, t.text, ink);
  }
  svgEl("rect", { x: m.l, y: m.t, width: W - m.l - m.r, height: H - m.t - m.b, fill: "none", stroke: ink.muted }, axis);
  smText(axis, { x: (m.l + W - m.r) / 2, y: H - 6 * k, "text-anchor": "middle", "font-weight": 600 }, spec.xTitle, ink);
  smText(axis, { transform: `translate(${14 * k} ${(m.t + H - m.b) / 2}) rotate(-90)`, "text-anchor": "middle",
    "font-weight": 600 }, spec.yTitle, ink);
  // the colour legend: a vertical bar, low at the bottom, ticks on its right, its title above it
  const gid = `gls-sm-grad-${++smCount}`;
  const lg = svgEl("linearGradient", { id: gid, x1: 0, y1: 1, x2: 0, y2: 0 }, svgEl("defs", {}, svg));
  stops.forEach((c, i) => svgEl("stop", { offset: i / (stops.length - 1), "stop-color": c }, lg));
  const bx = W - legendW + 2 * k, bt = m.t + 40 * k, bb = Math.min(H - m.b, bt + 220 * k);
  const lines = (spec.legendTitle || "").split("\n");
  lines.forEach((s, i) => smText(axis, { x: bx - 2 * k, y: m.t + (12 + 16 * i) * k, "font-weight": 600 }, s, ink));
  svgEl("rect", { x: bx, y: bt, width: 14 * k, height: bb - bt, fill: `url(#${gid})`, stroke: ink.muted }, axis);
  const L = xyScale(lo, hi, false, bb, bt);
  for (const t of xyTicks(lo, hi, false, (bb - bt) / (30 * k))) {
    const y = L(t.v);
    svgEl("line", { x1: bx + 14 * k, x2: bx + 18 * k, y1: y, y2: y, stroke: ink.text }, axis);
    smText(axis, { x: bx + 21 * k, y, "dominant-baseline": "central" }, t.text, ink);
  }
  // the plot area clips the arrows, the point and the labels
  const clip = `gls-sm-clip-${smCount}`;
  svgEl("rect", { x: m.l, y: m.t, width: W - m.l - m.r, height: H - m.t - m.b }, svgEl("clipPath", { id: clip }, svgEl("defs", {}, svg)));
  const plot = svgEl("g", { "clip-path": `url(#${clip})` }, svg);
  const col = spec.colours, f = spec.field;
  const field = svgEl("g", { opacity: 0.9 }, plot);
  f.x.forEach((xv, i) => {
    const head = smArrow(field, X(xv), Y(f.y[i]), X(f.x2[i]), Y(f.y2[i]), col.arrow, 1.6 * k, 8 * k, null);
    if (!head) return;
    // a larger, invisible target at the head carries the hover text
    const hit = svgEl("circle", { cx: X(f.x2[i]), cy: Y(f.y2[i]), r: 9 * k, fill: "transparent", "pointer-events": "all" }, field);
    svgEl("title", {}, hit).textContent = `‖∇L‖ here (${xyNumber(xv)}, ${xyNumber(f.y[i])}): ${xyNumber(f.norm[i])}`;
  });
  const marks = svgEl("g", {}, plot);
  Object.assign(S, { svg, title, X, Y, W, H, k, marks, theme: ctx.data.theme, laid: null });
}

function smLabel(g, x, y, text, colour, outline, k) {
  const a = { x, y, "font-size": 17 * k, "font-weight": 700, "text-anchor": "middle", "dominant-baseline": "central" };
  const halo = svgEl("text", { ...a, fill: outline, stroke: outline, "stroke-width": 4, "stroke-linejoin": "round" }, g);
  halo.textContent = text;
  svgEl("text", { ...a, fill: colour }, g).textContent = text;
}

BLOCKS.surfacemap = {
  build(host, spec, frame, ctx) {
    const wrap = h("div", "gls-chart", host);
    if (spec.title) h("div", "gls-chart-title", wrap, spec.title);
    const S = { wrap, holder: h("div", null, wrap), W: 0, frame: 0, ctx };
    new ResizeObserver(() => requestAnimationFrame(() => {
      const W = Math.max(280, Math.floor(wrap.clientWidth || 560));
      if (Math.abs(W - S.W) < 2 || !S.ctx.data.ink) return;
      smLayout(S, spec, W, S.ctx);
      BLOCKS.surfacemap.paint(S, spec, S.frame, S.ctx);
    })).observe(wrap);
    return S;
  },
  paint(S, spec, frame, ctx) {
    S.frame = frame; S.ctx = ctx;
    if (!S.svg || S.theme !== ctx.data.theme) smLayout(S, spec, S.W || Math.max(280, Math.floor(S.wrap.clientWidth || 560)), ctx);
    const alt = at(spec, "alt", frame) || "";
    S.title.textContent = alt;
    S.svg.setAttribute("aria-label", alt);
    const p = at(spec, "point", frame), grad = at(spec, "grad", frame), u = at(spec, "u", frame);
    const key = JSON.stringify([p, grad, u]);
    if (S.laid === key) return;
    S.laid = key;
    const { X, Y, k, marks } = S, col = spec.colours;
    marks.replaceChildren();
    const px = X(p[0]), py = Y(p[1]);
    if (u) smArrow(marks, px, py, X(u[0]), Y(u[1]), col.direction, 3 * k, 13 * k, col.outline);
    if (grad) smArrow(marks, px, py, X(grad[0]), Y(grad[1]), col.gradient, 4.5 * k, 16 * k, col.outline);
    if (u) smLabel(marks, X(u[2]), Y(u[3]), "u", col.direction, col.outline, k);
    if (grad) smLabel(marks, X(grad[2]), Y(grad[3]), "∇L", col.gradient, col.outline, k);
    const dot = svgEl("circle", { cx: px, cy: py, r: 7 * k, fill: col.point, stroke: col.arrow, "stroke-width": 2 }, marks);
    svgEl("title", {}, dot).textContent = at(spec, "tip", frame) || "";
  },
};
