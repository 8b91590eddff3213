// Stepper block "heatmap": a small matrix as cells with the value written in each, rows and columns
// numbered as the matrix is printed (row 0 on top), a diverging colour scale symmetric about 0 and its
// colour bar, and a key saying what each end of the scale means. The colours are the payload's stops
// (ui/palette.py: negative end, 0, positive end), interpolated here; a label's ink is whichever of the two
// payload inks reads better on its cell. A frame may have another shape than the last (a Jacobian with one
// more row): the drawing is laid out again then, else a step only refills the cells.
// Fits its box: cells shrink (down to 22 px) to fit a phone, and the colour bar moves under the matrix
// when beside it would squeeze the cells. Text scales with the page's root font (presentation mode).
// spec: {title, values: [frame][i][j] | [i][j] (null = not finite), domain: D | [frame] (scale ±D),
//        stops: [colour...], ink: {dark, light}, value, xTitle, yTitle, rowLabels?, colLabels?, cell,
//        digits, key: [negative text, positive text], alt: [frame] | str, note?: paragraphs, perFrame}

function hmRgb(colour) {
  const s = String(colour).replace("#", "");
  return [0, 2, 4].map((k) => parseInt(s.slice(k, k + 2), 16));
}

function hmHex(rgb) {
  return "#" + rgb.map((c) => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, "0")).join("");
}

// t in [-1, 1] -> the stops' colour there (-1 the first stop, 0 the middle one, 1 the last), linear in sRGB.
function hmColour(stops, t) {
  const rgb = stops.map(hmRgb);
  const k = (Math.max(-1, Math.min(1, t)) + 1) / 2 * (rgb.length - 1);
  const i = Math.min(rgb.length - 2, Math.floor(k)), f = k - i;
  return hmHex(rgb[i].map((c, n) => c + (rgb[i + 1][n] - c) * f));
}

function hmLuminance(colour) {
  const [r, g, b] = hmRgb(colour).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function hmContrast(a, b) {
  const la = hmLuminance(a), lb = hmLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

// The palette of the theme the page shows: the stepper's core reads it from the page (ctx.data.theme).
function hmInk(el, spec, ctx) { return (spec.themes && spec.themes[ctx.data.theme]) || ctx.data.ink; }

function hmMinus(text) { return text.replace(/^-/, "\u2212"); }

function hmCellText(v, digits) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "\u2014";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < Math.pow(10, -digits) / 2)) return hmMinus(v.toExponential(0));
  const text = v.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : hmMinus(text);  // no "-0.000"
}

function hmTick(v) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  const text = a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(2)));
  return hmMinus(text);
}

function hmFull(v) {
  return v === null || v === undefined || !Number.isFinite(v) ? "not a finite number" : hmMinus(String(Number(v.toPrecision(6))));
}

function hmLabel(list, i) { return list && list[i] !== undefined ? String(list[i]) : String(i); }

function hmText(parent, attrs, text) {
  const t = svgEl("text", attrs, parent);
  t.textContent = text;
  return t;
}

// Lay the drawing out for a matrix of `rows` x `cols` in a box `W` px wide.
function hmLayout(S, spec, frame, W, ctx) {
  const A = at(spec, "values", frame) || [];
  const rows = A.length, cols = rows ? A[0].length : 0;
  const z = S.scale, px = (v) => Math.round(v * z);
  const fs = px(14), ch = 7.4 * z;  // axis text; a character's width (estimate)
  const D = at(spec, "domain", frame) || 1;
  const ticks = [D, 0, -D].map(hmTick);
  const rowChars = Math.max(1, ...Array.from({ length: rows }, (_, i) => hmLabel(spec.rowLabels, i).length));
  const left = px(24) + rowChars * ch + px(8);
  const legendTitle = spec.value || "";
  const legendW = Math.max(legendTitle.length * ch, px(14 + 6) + Math.max(...ticks.map((t) => t.length)) * ch) + px(14);
  const want = Math.round((spec.cell || 51) * z);
  const beside = Math.min(want, Math.floor((W - left - legendW) / Math.max(1, cols)));
  const under = Math.min(want, Math.floor((W - left - px(4)) / Math.max(1, cols)));
  const vertical = beside >= under || beside >= 40 * z;
  const cw = Math.max(22, vertical ? beside : under);
  const rh = Math.max(Math.round(cw * 0.62), px(24));
  const mw = cw * cols, mh = rh * rows;
  const top = Math.max(px(4), Math.ceil(((spec.yTitle || "").length * ch - mh) / 2));  // room for the y title
  const axisBottom = top + mh + px(6) + fs + px(8) + fs;  // column labels, then the x title
  let H, right = left + mw + (vertical ? legendW : px(4));
  S.holder.replaceChildren();
  const svg = svgEl("svg", { role: "img", "font-size": fs }, S.holder);
  svg.style.display = "block"; svg.style.maxWidth = "100%"; svg.style.height = "auto";  // never wider than its box
  const title = svgEl("title", {}, svg);
  const axis = svgEl("g", { class: "glh-ink" }, svg);
  // y title (rotated), row labels, column labels, x title
  hmText(axis, { transform: `translate(${px(13)} ${top + mh / 2}) rotate(-90)`, "text-anchor": "middle",
    "dominant-baseline": "central", "font-weight": 600 }, spec.yTitle || "");
  for (let i = 0; i < rows; i++) {
    hmText(axis, { x: left - px(7), y: top + rh * (i + 0.5), "text-anchor": "end", "dominant-baseline": "central" },
      hmLabel(spec.rowLabels, i));
  }
  for (let j = 0; j < cols; j++) {
    hmText(axis, { x: left + cw * (j + 0.5), y: top + mh + px(6) + fs * 0.8, "text-anchor": "middle" },
      hmLabel(spec.colLabels, j));
  }
  hmText(axis, { x: left + mw / 2, y: axisBottom, "text-anchor": "middle", "font-weight": 600 }, spec.xTitle || "");
  // the cells
  const cellFs = cw >= 44 * z ? px(14) : px(12);
  const digits = cw >= 50 * z ? (spec.digits ?? 3) : Math.min(2, spec.digits ?? 3);
  const cells = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const r = svgEl("rect", { x: left + cw * j, y: top + rh * i, width: cw, height: rh, "stroke-width": 1, class: "glh-cell" }, svg);
      const tip = svgEl("title", {}, r);
      const t = hmText(svg, { x: left + cw * (j + 0.5), y: top + rh * (i + 0.5), "text-anchor": "middle",
        "dominant-baseline": "central", "font-size": cellFs, "pointer-events": "none" }, "");
      t.style.fontVariantNumeric = "tabular-nums";
      cells.push({ r, t, tip, i, j });
    }
  }
  // the colour bar: positive end at the top (beside) or on the right (under), its three ticks
  const steps = 48, bar = svgEl("g", { "shape-rendering": "crispEdges" }, svg), legendTexts = [];
  if (vertical) {
    const x0 = left + mw + px(14), y0 = top + fs + px(8), bh = Math.max(px(80), mh - fs - px(8));
    legendTexts.push(hmText(axis, { x: x0, y: top + fs * 0.8, "font-weight": 600 }, legendTitle));
    for (let k = 0; k < steps; k++) {
      svgEl("rect", { x: x0, y: y0 + bh * k / steps, width: px(14), height: bh / steps + 1,
        fill: hmColour(spec.stops, 1 - 2 * (k + 0.5) / steps) }, bar);
    }
    [0, 0.5, 1].forEach((f, n) => {
      const y = y0 + bh * f;
      svgEl("line", { x1: x0 + px(14), x2: x0 + px(18), y1: y, y2: y, class: "glh-line" }, axis);
      legendTexts.push(hmText(axis, { x: x0 + px(21), y, "dominant-baseline": "central" }, ticks[n]));
    });
    H = Math.max(axisBottom + px(8), y0 + bh + fs / 2 + px(4));
  } else {
    const y0 = axisBottom + px(14);
    hmText(axis, { x: left, y: y0 + fs * 0.8, "font-weight": 600 }, legendTitle);
    const x0 = left, bw = Math.max(px(120), Math.min(mw, px(260))), by = y0 + fs + px(6);
    for (let k = 0; k < steps; k++) {
      svgEl("rect", { x: x0 + bw * k / steps, y: by, width: bw / steps + 1, height: px(12),
        fill: hmColour(spec.stops, -1 + 2 * (k + 0.5) / steps) }, bar);
    }
    [0, 0.5, 1].forEach((f, n) => {
      const x = x0 + bw * f;
      svgEl("line", { x1: x, x2: x, y1: by + px(12), y2: by + px(16), class: "glh-line" }, axis);
      hmText(axis, { x, y: by + px(16) + fs * 0.9, "text-anchor": f === 0 ? "start" : f === 1 ? "end" : "middle" },
        ticks[2 - n]);
    });
    H = by + px(16) + fs + px(6);
    right = Math.max(right, x0 + bw + px(4), left + legendTitle.length * ch);
  }
  // the legend's text as drawn may be wider than estimated (a bold title with subscripts): measured once
  // per text (a measure forces a layout; the legend's texts stay the same from step to step)
  S.tw = S.tw || new Map();
  for (const t of legendTexts) {
    const key = `${t.textContent}|${t.getAttribute("font-weight") || ""}|${fs}`;
    if (!S.tw.has(key)) {
      let w = 0;
      try { w = t.getBBox().width; } catch (err) { /* not laid out: the estimate stands */ }
      if (w > 0) S.tw.set(key, w);
    }
    right = Math.max(right, Number(t.getAttribute("x")) + (S.tw.get(key) || 0) + px(4));
  }
  const Wd = Math.ceil(right);
  svg.setAttribute("width", Wd); svg.setAttribute("height", Math.ceil(H));
  svg.setAttribute("viewBox", `0 0 ${Wd} ${Math.ceil(H)}`);
  Object.assign(S, { svg, title, cells, digits, shape: `${rows}x${cols}`, domain: D, W });
}

BLOCKS.heatmap = {
  build(host, spec, frame, ctx) {
    const wrap = h("div", "gls-chart", host);
    const root = document.documentElement;
    const z = (parseFloat(getComputedStyle(root).fontSize) || 16) / 16;  // 1.5 in presentation mode
    if (spec.title) h("div", "gls-chart-title", wrap, spec.title).style.fontSize = `${Math.round(15 * z)}px`;
    const S = { wrap, holder: h("div", null, wrap), frame, W: 0, shape: "", domain: null, scale: z };
    S.holder.style.maxWidth = "100%";
    // the key: what each end of the scale means (a swatch of each end and its words)
    const key = h("div", "gls-small", wrap);
    key.style.display = "flex"; key.style.flexWrap = "wrap"; key.style.gap = "2px 14px"; key.style.marginTop = "2px";
    const ends = [[spec.stops[0], (spec.key || [])[0]], [spec.stops[spec.stops.length - 1], (spec.key || [])[1]]];
    for (const [colour, words] of ends) {
      if (!words) continue;
      const item = h("span", null, key);
      const sw = h("span", null, item);
      Object.assign(sw.style, { display: "inline-block", width: "0.8em", height: "0.8em", marginRight: "0.35em",
        verticalAlign: "-0.05em", background: colour, borderRadius: "2px" });
      sw.setAttribute("aria-hidden", "true");
      item.appendChild(document.createTextNode(words));
    }
    S.note = h("div", "gls-text gls-small", wrap);
    S.note.style.marginTop = "0.3rem";
    S.notes = null;
    const fit = () => {
      const W = Math.floor(wrap.clientWidth || 0);
      if (!W || Math.abs(W - S.W) < 2) return;
      S.W = W;
      hmLayout(S, spec, S.frame, W, ctx);
      BLOCKS.heatmap.paint(S, spec, S.frame, ctx);
    };
    new ResizeObserver(() => requestAnimationFrame(fit)).observe(wrap);
    hmLayout(S, spec, frame, Math.floor(host.clientWidth || 480), ctx);
    return S;
  },
  paint(S, spec, frame, ctx) {
    S.frame = frame;
    const A = at(spec, "values", frame) || [];
    const D = at(spec, "domain", frame) || 1;
    if (`${A.length}x${A.length ? A[0].length : 0}` !== S.shape || D !== S.domain) hmLayout(S, spec, frame, S.W || 480, ctx);
    const ink = hmInk(S.wrap, spec, ctx);  // ui/palette.py's colours of the theme shown
    for (const e of S.svg.querySelectorAll(".glh-ink")) e.setAttribute("fill", ink.text);
    for (const e of S.svg.querySelectorAll(".glh-line")) e.setAttribute("stroke", ink.text);
    const alt = at(spec, "alt", frame) || "";
    S.title.textContent = alt; S.svg.setAttribute("aria-label", alt);
    for (const { r, t, tip, i, j } of S.cells) {
      const v = A[i][j];
      const finite = v !== null && v !== undefined && Number.isFinite(v);
      const fill = finite ? hmColour(spec.stops, v / D) : ink.muted;
      r.setAttribute("fill", fill);
      r.setAttribute("fill-opacity", finite ? 1 : 0.25);
      r.setAttribute("stroke", ink.background);
      const onCell = finite ? fill : ink.background;
      t.setAttribute("fill", hmContrast(spec.ink.dark, onCell) >= hmContrast(spec.ink.light, onCell) ? spec.ink.dark : spec.ink.light);
      t.setAttribute("data-on", onCell);  // what this text stands on (the accessibility audit reads it)
      t.textContent = hmCellText(v, S.digits);
      tip.textContent = `row ${hmLabel(spec.rowLabels, i)}, column ${hmLabel(spec.colLabels, j)}: ${spec.value || "value"} = ${hmFull(v)}`;
    }
    const note = at(spec, "note", frame);
    if (S.notes !== note) { S.notes = note; paragraphsInto(S.note, note || []); }
  },
};
