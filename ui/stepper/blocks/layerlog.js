// Stepper block "layerlog": values on a log y axis (powers-of-ten ticks), fixed over every frame so a step
// moves the data, never the axis under it. Two modes (ui/stepper.py `layerlog`, `layerlog_bars`):
//  - "lines": one line with points per series over layers (x numeric, fixed spec.x domain); a series is
//    absent from a frame when its values are null there; gaps (null points) break the line. An optional
//    vertical rule per frame (spec.marker, e.g. the output layer L).
//  - "bars": one bar per category (spec.labels), coloured per bar, plus horizontal reference rules.
// Colours, dashes, widths and ink (spec.ink: text, muted) come from the payload (ui/palette.py), both themes. Per-frame alt
// text goes to the svg's <title> and aria-label; notes (static) and `dropped` (per frame) sit under it.
// spec: {mode, title, xTitle, yTitle, x: [lo, hi], y: [lo10, hi10], height, alt, notes, dropped, perFrame,
//        lines: series: [{name, colour: {light, dark}, dash: [..], width, start, values: [frame] -> [..] | null}],
//               marker: [frame] -> x | null, markerLabel: [frame] -> str,
//        bars:  labels: [..], colours: [{light, dark}], values: [frame] -> [..], rules: [{value, label, colour}]}

const LL_SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

function llDecade(k) {
  if (k === 0) return "1";
  if (k === 1) return "10";
  return "10" + String(k).split("").map((c) => LL_SUP[c]).join("");
}

function llFmt(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

function llColour(c, dark) { return dark ? c.dark : c.light; }

// The theme the learner sees: the stepper's core reads it from the page (ctx.data.theme, see themeOf).
function llDark(el, ctx) { return ctx.data.theme === "dark"; }

// Legend rows for every entry (name + swatch), wrapped at W: the height reserved is the full legend's, so
// a series coming and going with the frame never moves the plot.

function llLegend(entries, W, x0) {
  const k = textScale(), items = [], rowH = 20 * k;
  let lx = x0, ly = 0;
  for (const e of entries) {
    const need = (34 + 7.8 * e.name.length) * k;
    if (lx + need > W - 8 && lx > x0) { lx = x0; ly += rowH; }
    items.push({ x: lx, y: ly, e });
    lx += need + 16;
  }
  return { items, height: entries.length ? ly + rowH : 0 };
}

function llLayout(S, spec, W, ctx) {
  const bars = spec.mode === "bars";
  const entries = bars ? [] : spec.series.map((s, j) => ({ name: s.name, j }));
  const k = textScale();
  const m = { l: 62 * k, r: (bars ? 120 : 14) * k, t: 8, b: (bars ? 34 : 46) * k };  // bars: rules' labels right
  const legend = llLegend(entries, W, 8);
  m.t += legend.height + (legend.height ? 6 : 0) + (bars ? 0 : 16 * k);  // lines: room for the marker's label
  const H = (spec.height || 340) * k + legend.height;
  S.holder.replaceChildren();
  const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "font-size": 14 * k }, S.holder);
  svg.style.display = "block";
  const title = svgEl("title", {}, svg);
  const [d0, d1] = spec.y;
  const y = (v) => m.t + (H - m.t - m.b) * (d1 - Math.log10(v)) / (d1 - d0 || 1);
  const axis = svgEl("g", {}, svg);
  // powers of ten: every decade when they fit (≥ 22 px apart), else every 2nd, 5th, 10th, ...
  const per = (H - m.t - m.b) / Math.max(1, d1 - d0);
  const every = [1, 2, 3, 5, 10, 20, 50, 100].find((s) => s * per >= 22) || 100;
  for (let k = Math.ceil(d0 / every) * every; k <= d1; k += every) {
    const yy = y(Math.pow(10, k));
    svgEl("line", { x1: m.l, x2: W - m.r, y1: yy, y2: yy, "stroke-opacity": k === 0 ? 0.35 : 0.14, class: "gll-fg" }, axis);
    const t = svgEl("text", { x: m.l - 6, y: yy, "text-anchor": "end", "dominant-baseline": "central", class: "gll-fgt" }, axis);
    t.textContent = llDecade(k);
  }
  const yt = svgEl("text", { transform: `translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)`, "text-anchor": "middle",
    "font-weight": 600, class: "gll-fgt" }, axis);
  yt.textContent = spec.yTitle || "";
  svgEl("line", { x1: m.l, x2: m.l, y1: m.t, y2: H - m.b, class: "gll-fg", "stroke-opacity": 0.6 }, axis);
  svgEl("line", { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b, class: "gll-fg", "stroke-opacity": 0.6 }, axis);
  const plot = svgEl("g", {}, svg);
  Object.assign(S, { svg, title, y, W, H, m, plot, legendItems: legend.items, legendG: svgEl("g", {}, svg) });
  if (bars) {
    const n = spec.labels.length, band = (W - m.l - m.r) / Math.max(1, n);
    S.bars = spec.labels.map((lab, i) => {
      const t = svgEl("text", { x: m.l + band * (i + 0.5), y: H - m.b + 18, "text-anchor": "middle", class: "gll-fgt" }, axis);
      t.textContent = lab;
      const r = svgEl("rect", { x: m.l + band * (i + 0.2), width: band * 0.6 }, plot);
      const v = svgEl("text", { x: m.l + band * (i + 0.5), "text-anchor": "middle", class: "gll-fgt" }, plot);
      return { r, tip: svgEl("title", {}, r), v };
    });
    S.rules = (spec.rules || []).map((rule) => {
      const yy = y(rule.value);
      const l = svgEl("line", { x1: m.l, x2: W - m.r, y1: yy, y2: yy, "stroke-width": 2, "stroke-dasharray": "6 4" }, plot);
      const t = svgEl("text", { x: W - m.r + 6, y: yy, "dominant-baseline": "central", "font-weight": 600 }, plot);
      t.textContent = rule.label;
      return { l, t, colour: rule.colour };
    });
    return;
  }
  const [x0, x1] = spec.x;
  const x = (v) => m.l + 8 + (W - m.l - m.r - 16) * (v - x0) / (x1 - x0 || 1);
  S.x = x;
  const step = [1, 2, 5, 10, 20, 50].find((s) => (x(x0 + s) - x(x0)) >= 34) || 50;
  for (let k = Math.ceil(x0 / step) * step; k <= x1; k += step) {
    svgEl("line", { x1: x(k), x2: x(k), y1: H - m.b, y2: H - m.b + 5, class: "gll-fg" }, axis);
    const t = svgEl("text", { x: x(k), y: H - m.b + 18, "text-anchor": "middle", class: "gll-fgt" }, axis);
    t.textContent = String(k);
  }
  const xt = svgEl("text", { x: (m.l + W - m.r) / 2, y: H - 8, "text-anchor": "middle", "font-weight": 600, class: "gll-fgt" }, axis);
  xt.textContent = spec.xTitle || "";
  S.markerLine = svgEl("line", { y1: m.t - 2, y2: H - m.b, "stroke-dasharray": "3 4", "stroke-width": 1.5, class: "gll-mu" }, plot);
  S.markerText = svgEl("text", { y: m.t - 5, "text-anchor": "end", class: "gll-mut", "font-size": 14 * k }, plot);
  const longest = Math.max(1, Math.round(x1 - x0) + 1);
  S.lines = spec.series.map((s) => {
    const g = svgEl("g", {}, plot);
    const path = svgEl("path", { fill: "none", "stroke-width": s.width || 3,
      "stroke-dasharray": (s.dash || []).join(" "), "stroke-linejoin": "round" }, g);
    const dots = [];
    for (let i = 0; i < longest; i++) {
      const c = svgEl("circle", { r: s.width && s.width < 3 ? 2.5 : 3.2 }, g);
      dots.push({ c, tip: svgEl("title", {}, c) });
    }
    return { g, path, dots };
  });
}

function llPaintLegend(S, spec, present, dark) {
  const key = present.join(",") + (dark ? "d" : "l");
  if (S.legendKey === key) return;
  S.legendKey = key;
  S.legendG.replaceChildren();
  // the present series, packed from the left (their full legend's height is reserved)
  const shown = llLegend(present.map((j) => ({ name: spec.series[j].name, j })), S.W, 8).items;
  for (const it of shown) {
    const s = spec.series[it.e.j], colour = llColour(s.colour, dark);
    svgEl("line", { x1: it.x, x2: it.x + 26, y1: it.y + 10, y2: it.y + 10, stroke: colour, "stroke-width": s.width || 3,
      "stroke-dasharray": (s.dash || []).join(" ") }, S.legendG);
    const t = svgEl("text", { x: it.x + 32, y: it.y + 10, "dominant-baseline": "central", fill: llColour(spec.ink.text, dark) }, S.legendG);
    t.textContent = s.name;
  }
}

BLOCKS.layerlog = {
  build(host, spec, frame, ctx) {
    const wrap = h("div", "gls-chart", host);
    if (spec.flex) wrap.style.flex = spec.flex;  // its share of a row (e.g. "3 1 420px": the wider side)
    if (spec.title) h("div", "gls-chart-title", wrap, spec.title);
    const S = { wrap, holder: h("div", null, wrap), frame: 0, W: 0, ctx };
    if (spec.notes && spec.notes.length) {
      const n = h("div", "gls-text gls-small", wrap);
      n.style.marginTop = "0.5rem";
      paragraphsInto(n, spec.notes);
    }
    S.dropped = h("div", "gls-text gls-small", wrap);
    S.lastDropped = null;
    const fit = () => {
      const W = Math.max(260, Math.floor(wrap.clientWidth || 520));
      if (Math.abs(W - S.W) < 2) return;
      S.legendKey = null;
      llLayout(S, spec, W, S.ctx);
      BLOCKS.layerlog.paint(S, spec, S.frame, S.ctx);
    };
    new ResizeObserver(() => requestAnimationFrame(fit)).observe(wrap);
    llLayout(S, spec, 520, ctx);
    return S;
  },
  paint(S, spec, frame, ctx) {
    S.frame = frame; S.ctx = ctx;
    const dark = llDark(S.wrap, ctx);
    const fg = llColour(spec.ink.text, dark), muted = llColour(spec.ink.muted, dark);
    for (const e of S.svg.querySelectorAll(".gll-fg")) e.setAttribute("stroke", fg);
    for (const e of S.svg.querySelectorAll(".gll-fgt")) e.setAttribute("fill", fg);
    for (const e of S.svg.querySelectorAll(".gll-mu")) e.setAttribute("stroke", muted);
    for (const e of S.svg.querySelectorAll(".gll-mut")) e.setAttribute("fill", muted);
    const alt = at(spec, "alt", frame) || "";
    S.title.textContent = alt; S.svg.setAttribute("aria-label", alt);
    const dropped = at(spec, "dropped", frame) || [];
    if (S.lastDropped !== dropped) { S.lastDropped = dropped; paragraphsInto(S.dropped, dropped); }
    const [d0, d1] = spec.y;
    const clampY = (v) => S.y(Math.min(Math.pow(10, d1), Math.max(Math.pow(10, d0), v)));
    if (spec.mode === "bars") {
      const vals = at(spec, "values", frame) || [];
      S.bars.forEach((b, i) => {
        const v = vals[i], ok = v !== null && v !== undefined && Number.isFinite(v) && v > 0;
        const colour = llColour(spec.colours[i % spec.colours.length], dark);
        const top = ok ? clampY(v) : S.H - S.m.b, base = S.H - S.m.b;
        b.r.setAttribute("y", top); b.r.setAttribute("height", Math.max(0, base - top));
        b.r.setAttribute("fill", colour);
        b.r.setAttribute("visibility", ok ? "visible" : "hidden");
        b.tip.textContent = `${spec.labels[i]}: ${llFmt(v)}`;
        b.v.setAttribute("y", top - 6);
        b.v.textContent = ok ? llFmt(v) : "not drawn (0 or overflow)";
      });
      for (const r of S.rules) {
        const colour = llColour(r.colour, dark);
        r.l.setAttribute("stroke", colour); r.t.setAttribute("fill", fg);  // a series colour as text: < 4.5:1
      }
      return;
    }
    const present = [];
    spec.series.forEach((s, j) => {
      const L = S.lines[j], vals = at(s, "values", frame);
      if (!vals) { L.g.setAttribute("visibility", "hidden"); return; }
      present.push(j);
      L.g.setAttribute("visibility", "visible");
      const colour = llColour(s.colour, dark);
      L.g.setAttribute("fill", colour); L.path.setAttribute("stroke", colour);
      let d = "", pen = false;
      L.dots.forEach((dot, i) => {
        const v = i < vals.length ? vals[i] : null;
        if (v === null || v === undefined || !(v > 0)) { pen = false; dot.c.setAttribute("visibility", "hidden"); return; }
        const px = S.x(s.start + i), py = clampY(v);
        d += `${pen ? "L" : "M"}${px.toFixed(1)} ${py.toFixed(1)}`;
        pen = true;
        dot.c.setAttribute("cx", px.toFixed(1)); dot.c.setAttribute("cy", py.toFixed(1));
        dot.c.setAttribute("visibility", "visible");
        dot.tip.textContent = `${s.name}, layer ${s.start + i}: ${llFmt(v)}`;
      });
      L.path.setAttribute("d", d);
    });
    llPaintLegend(S, spec, present, dark);
    const mx = at(spec, "marker", frame);
    if (mx === null || mx === undefined) {
      S.markerLine.setAttribute("visibility", "hidden"); S.markerText.setAttribute("visibility", "hidden");
    } else {
      const px = S.x(mx);
      for (const e of [S.markerLine, S.markerText]) e.setAttribute("visibility", "visible");
      S.markerLine.setAttribute("x1", px); S.markerLine.setAttribute("x2", px);
      const right = px > (S.m.l + S.W - S.m.r) / 2;  // the label on the side with room
      S.markerText.setAttribute("x", right ? px - 5 : px + 5);
      S.markerText.setAttribute("text-anchor", right ? "end" : "start");
      S.markerText.textContent = at(spec, "markerLabel", frame) || "";
    }
  },
};
