// Stepper block "logbars": one bar per item on a log value axis (powers-of-ten ticks), each bar coloured
// by its level in this frame and topped by the level's mark, over shaded level bands and labelled
// threshold rules; a legend of the levels on top and, optionally, a verdict chip above the chart. The axis
// is fixed over every frame (spec.domain, as exponents), so a step moves bars, never the axis.
// spec: {title, labels[], values: [frame][i] (already clipped to the domain), levels: [frame][i],
//        colours: {level: {light, dark}}, marks: {level: "✓"}, names: {level: legend text}, order: [level],
//        bands: [{lo, hi, level}], rules: [{value, level, text}], domain: [lo_exp, hi_exp], yTitle,
//        verdict: [frame] {level, text} | null, alt: [frame], height, perFrame}
// Colours only from the payload (ui/palette.py): spec.colours and ctx.data.ink.

// The theme the page shows now: the stepper's core reads it from the page (ctx.data.theme, see themeOf).
function logbarsTheme(el, ctx) { return ctx.data.theme === "dark" ? "dark" : "light"; }

function logbarsTick(e) { return e === 0 ? "1" : `1e${e}`; }

function logbarsValue(v) {
  if (!Number.isFinite(v)) return "—";
  return v === 0 ? "0" : v.toExponential(1);
}

function logbarsLayout(S, spec, W) {
  // text at the page's scale: 14 px at a 16 px root (the charts' minimum), 1.5x in presentation mode
  const k = textScale(), fs = 14 * k;
  const H = Math.round((spec.height || 320) * Math.min(k, 1.2));
  const labels = spec.labels, n = labels.length;
  const longest = Math.max(1, ...labels.map((s) => s.length));
  const slanted = n > 4 && W / n < 7.5 * k * longest + 12;
  const m = { l: 58 * k, r: 10, t: 34 * k, b: slanted ? 18 + 6.2 * k * longest : 30 * k };
  S.holder.replaceChildren();
  const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "font-size": fs }, S.holder);
  svg.style.display = "block";
  const title = svgEl("title", {}, svg);
  const [lo, hi] = spec.domain;
  const y = (v) => {
    const e = Math.log10(Math.max(v, Math.pow(10, lo)));
    return m.t + (H - m.t - m.b) * (hi - Math.min(e, hi)) / (hi - lo || 1);
  };
  const parts = { bands: [], rules: [], fg: [], fgt: [], bars: [], legend: [] };
  // bands (the levels' regions), drawn first, then the decade grid and its labels
  for (const b of spec.bands || []) {
    const y0 = y(Math.pow(10, b.hi)), y1 = y(Math.pow(10, b.lo));
    parts.bands.push({ e: svgEl("rect", { x: m.l, width: W - m.l - m.r, y: y0, height: Math.max(0, y1 - y0),
      "fill-opacity": 0.12 }, svg), level: b.level });
  }
  const axis = svgEl("g", {}, svg);
  const plotH = H - m.t - m.b, decades = hi - lo;
  const every = [1, 2, 3, 4, 5, 6].find((k) => plotH * k / decades >= 20) || 6;
  for (let e = hi; e >= lo; e -= 1) {
    const labelled = (hi - e) % every === 0;
    parts.fg.push(svgEl("line", { x1: m.l, x2: W - m.r, y1: y(Math.pow(10, e)), y2: y(Math.pow(10, e)),
      "stroke-opacity": labelled ? 0.16 : 0.06 }, axis));
    if (!labelled) continue;
    const t = svgEl("text", { x: m.l - 6, y: y(Math.pow(10, e)), "text-anchor": "end", "dominant-baseline": "central" }, axis);
    t.textContent = logbarsTick(e);
    parts.fgt.push(t);
  }
  const yt = svgEl("text", { transform: `translate(${fs} ${(m.t + H - m.b) / 2}) rotate(-90)`, "text-anchor": "middle",
    "font-weight": 600 }, axis);
  yt.textContent = spec.yTitle || "";
  parts.fgt.push(yt);
  parts.fg.push(svgEl("line", { x1: m.l, x2: m.l, y1: m.t, y2: H - m.b, "stroke-width": 1 }, axis));
  // bars, their marks and the item labels
  const band = (W - m.l - m.r) / Math.max(1, n), bw = Math.max(2, band * 0.7);
  labels.forEach((lab, i) => {
    const cx = m.l + band * (i + 0.5);
    const t = svgEl("text", slanted
      ? { transform: `translate(${cx} ${H - m.b + 8}) rotate(-60)`, "text-anchor": "end", "dominant-baseline": "central" }
      : { x: cx, y: H - m.b + 17 * k, "text-anchor": "middle" }, axis);
    t.textContent = lab;
    parts.fgt.push(t);
    const r = svgEl("rect", { x: cx - bw / 2, width: bw }, svg);
    const mark = svgEl("text", { x: cx, "text-anchor": "middle", "font-weight": 700 }, svg);
    parts.bars.push({ r, mark, tip: svgEl("title", {}, r), i });
  });
  // threshold rules with their labels (right-aligned, just above the rule)
  for (const rule of spec.rules || []) {
    const ry = y(rule.value);
    const line = svgEl("line", { x1: m.l, x2: W - m.r, y1: ry, y2: ry, "stroke-width": 1.5, "stroke-dasharray": "6 4" }, svg);
    const t = svgEl("text", { x: W - m.r - 4, y: ry - 4, "text-anchor": "end", "font-size": 14 * k, "font-weight": 600,
      "stroke-width": 3, "paint-order": "stroke", "stroke-linejoin": "round" }, svg);  // a halo over the bars
    t.textContent = rule.text;
    parts.rules.push({ line, t, level: rule.level });
  }
  // the legend: one swatch and name per level, on top
  let lx = m.l;
  for (const level of spec.order || []) {
    const sw = svgEl("rect", { x: lx, y: 6 * k, width: 12 * k, height: 12 * k }, svg);
    const t = svgEl("text", { x: lx + 17 * k, y: 12 * k, "dominant-baseline": "central" }, svg);
    t.textContent = spec.names[level];
    parts.legend.push({ sw, level });
    parts.fgt.push(t);
    lx += (34 + 7.6 * spec.names[level].length) * k;
  }
  Object.assign(S, { svg, title, parts, y, W, base: H - m.b });
}

BLOCKS.logbars = {
  build(host, spec, frame, ctx) {
    const wrap = h("div", "gls-chart", host);
    if (spec.title) h("div", "gls-chart-title", wrap, spec.title);
    const chip = h("div", null, wrap);
    chip.style.cssText = "display:inline-block;font-weight:600;font-size:0.9rem;padding:1px 10px;" +
      "border-radius:0.5rem;margin:0 0 4px 0;border:1.5px solid;";
    chip.setAttribute("aria-live", "polite");
    const S = { holder: h("div", null, wrap), chip, frame: 0, W: 0 };
    const fit = () => {
      const W = Math.max(260, Math.floor(wrap.clientWidth || 480));
      if (Math.abs(W - S.W) < 2) return;
      logbarsLayout(S, spec, W);
      BLOCKS.logbars.paint(S, spec, S.frame, ctx);
    };
    new ResizeObserver(() => requestAnimationFrame(fit)).observe(wrap);
    logbarsLayout(S, spec, 480);
    return S;
  },
  paint(S, spec, frame, ctx) {
    S.frame = frame;
    const theme = logbarsTheme(S.holder, ctx), col = (level) => spec.colours[level][theme];
    // ink: the page's own text and background colours (CSS variables, so a theme switch recolours them at
    // once), the payload's (ui/palette.py) where the variables are missing
    const fg = `var(--st-text-color, ${ctx.data.ink.text})`, bg = `var(--st-background-color, ${ctx.data.ink.background})`;
    const P = S.parts;
    for (const e of P.fg) e.style.stroke = fg;
    for (const e of P.fgt) e.style.fill = fg;
    for (const b of P.bands) b.e.setAttribute("fill", col(b.level));
    for (const r of P.rules) {
      r.line.setAttribute("stroke", col(r.level));
      r.t.style.fill = fg; r.t.style.stroke = bg;  // the label in the text colour: a level's is < 4.5:1
    }
    for (const l of P.legend) l.sw.setAttribute("fill", col(l.level));
    const alt = at(spec, "alt", frame) || "";
    S.title.textContent = alt; S.svg.setAttribute("aria-label", alt);
    const values = at(spec, "values", frame), levels = at(spec, "levels", frame);
    for (const { r, mark, tip, i } of P.bars) {
      const v = values[i], level = levels[i], top = S.y(v);
      r.setAttribute("y", top); r.setAttribute("height", Math.max(1, S.base - top));
      r.setAttribute("fill", col(level));
      mark.setAttribute("y", top - 5); mark.style.fill = fg;
      mark.textContent = spec.marks[level] || "";
      tip.textContent = `${spec.labels[i]}: relative error ${logbarsValue(v)} (${spec.names[level]})`;
    }
    const verdict = spec.verdict ? at(spec, "verdict", frame) : null;
    S.chip.style.display = verdict ? "inline-block" : "none";
    if (verdict) {
      S.chip.textContent = verdict.text;
      S.chip.style.color = fg;  // the text in the ink colour (contrast); the level's colour on the border
      S.chip.style.borderColor = col(verdict.level);
      S.chip.style.borderLeftWidth = "8px";
    }
  },
};
