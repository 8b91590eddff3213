// Gradient Lab replay player: draws a precomputed history frame by frame in the browser.
// Nothing is sent to the server while playing; Pause, Step, scrub, Reset and "pause at" report the
// frame index once (setStateValue("frame", i)). State lives on the root element so that a rerun
// that calls this function again (same history id) does not restart the animation.

const REDUCED = "(prefers-reduced-motion: reduce)";

function b64bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Decoded arrays by their content digest (blob.h), for every player in the tab: a history shown again (a
// setting moved back and forth) or a blob that did not change is neither base64-decoded nor inflated again.
// The least recently used go past a budget of bytes. Cached arrays are shared: nothing writes into them.
const DECODED = (window.__glpDecoded = window.__glpDecoded || { map: new Map(), bytes: 0, fresh: 0 });
const DECODED_BUDGET = 64 * 1024 * 1024;

function remember(h, arr) {
  const c = DECODED;
  if (c.map.has(h)) return;
  c.map.set(h, arr);
  c.bytes += arr.byteLength;
  for (const [k, v] of c.map) {
    if (c.bytes <= DECODED_BUDGET || k === h) break;
    c.map.delete(k); c.bytes -= v.byteLength;
  }
}

// A blob from ui/player.py: {b64, dtype: "u8" | "f32", z: zlib?, delta: frame-to-frame uint8 deltas?, size, h}
async function decode(blob) {
  if (!blob) return null;
  const hit = blob.h ? DECODED.map.get(blob.h) : undefined;
  if (hit) { DECODED.map.delete(blob.h); DECODED.map.set(blob.h, hit); return hit; }  // now the most recent
  const busy = DECODED.busy = DECODED.busy || new Map();  // a blob being decoded (a variant's, in advance)
  if (blob.h && busy.has(blob.h)) return busy.get(blob.h);
  const p = decodeFresh(blob).then((arr) => { if (blob.h) { remember(blob.h, arr); busy.delete(blob.h); } return arr; });
  if (blob.h) busy.set(blob.h, p);
  return p;
}

async function decodeFresh(blob) {
  DECODED.fresh++;  // blobs decoded (not found by their digest): for tests
  let bytes = b64bytes(blob.b64);
  if (blob.z) bytes = await inflate(bytes);
  if (blob.dtype === "f32") return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  if (blob.delta) {  // running sum mod 256 along frames of `size` values
    const n = blob.size;
    for (let i = n; i < bytes.length; i++) bytes[i] = (bytes[i] + bytes[i - n]) & 255;
  }
  return bytes;
}

function hexRgb(hex) {
  const h = hex.replace("#", "");
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

function lut(stops) {  // 256-entry RGB table through evenly spaced colour stops
  const cols = stops.map(hexRgb);
  const out = new Uint8ClampedArray(256 * 3);
  for (let v = 0; v < 256; v++) {
    const t = (v / 255) * (cols.length - 1);
    const k = Math.min(Math.floor(t), cols.length - 2);
    const f = t - k;
    for (let c = 0; c < 3; c++) out[v * 3 + c] = cols[k][c] * (1 - f) + cols[k + 1][c] * f;
  }
  return out;
}

function fmtNum(v, digits) {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(Math.max(1, digits - 3));
  return v.toFixed(digits);
}

function theme(el) {
  const cs = getComputedStyle(el);
  const get = (name, fallback) => (cs.getPropertyValue(name) || "").trim() || fallback;
  return {
    text: get("--st-text-color", "#262730"),
    bg: get("--st-background-color", "#ffffff"),
    bg2: get("--st-secondary-background-color", "#f0f2f6"),
    border: get("--st-border-color", "rgba(49,51,63,0.2)"),
    primary: get("--st-primary-color", "#ff4b4b"),
    font: get("--st-font", "sans-serif"),
  };
}

// ---------------------------------------------------------------------------------------------
// panels: each has setup(ctx, spec, decoded) and draw(frame)

function sizeCanvas(canvas, aspect) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(80, canvas.clientWidth || canvas.parentElement.clientWidth || 240);
  const h = Math.round(w * aspect);
  canvas.style.height = h + "px";
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { g, w, h };
}

function networkPanel(spec, arrays, P) {
  const layers = spec.layers;  // e.g. [2, 3, 1]
  const sizes = arrays.widths;  // optional uint8 widths (fractions of wmax; e.g. |∂L/∂w|) instead of |w|
  const k = spec.mapSize || 0;  // with unit maps: each unit a k × k map instead of a circle
  const table = k ? lut(P.diverging) : null;
  const tiles = k ? layers.map((n) => Array.from({ length: n }, () => {
    const c = document.createElement("canvas"); c.width = k; c.height = k;
    const cg = c.getContext("2d");
    return { c, cg, img: cg.createImageData(k, k), frame: -1 };
  })) : null;
  function tile(l, i, frame) {  // unit i of layer l's map at this frame, drawn once per frame change
    const t = tiles[l][i];
    if (t.frame !== frame) {
      const maps = arrays.unitMaps[l], off = (frame * layers[l] + i) * k * k, d = t.img.data;
      for (let r = 0; r < k; r++) {
        for (let c = 0; c < k; c++) {
          const v = maps[off + r * k + c], q = ((k - 1 - r) * k + c) * 4;
          d[q] = table[v * 3]; d[q + 1] = table[v * 3 + 1]; d[q + 2] = table[v * 3 + 2]; d[q + 3] = 255;
        }
      }
      t.cg.putImageData(t.img, 0, 0);
      t.frame = frame;
    }
    return t.c;
  }
  return function draw(canvas, frame, th) {
    const { g, w, h } = sizeCanvas(canvas, spec.aspect || 1);
    g.clearRect(0, 0, w, h);
    const pos = layers.map((n, l) => {
      const x = 34 + (l * (w - 68)) / (layers.length - 1);
      return Array.from({ length: n }, (_, i) => [x, ((i + 1) * h) / (n + 1)]);
    });
    const wmax = spec.wmax || 1;
    g.lineCap = "round";
    for (let l = 0; l < layers.length - 1; l++) {
      const W = arrays.w[l];
      const nIn = layers[l], nOut = layers[l + 1];
      const base = frame * nIn * nOut;
      for (let i = 0; i < nIn; i++) {
        for (let j = 0; j < nOut; j++) {
          const v = W[base + i * nOut + j];
          const size = arrays.widths ? sizes[l][base + i * nOut + j] / 255 : Math.min(Math.abs(v) / wmax, 1);
          const [x0, y0] = pos[l][i], [x1, y1] = pos[l + 1][j];
          const hl = spec.highlight && spec.highlight[0] === l && spec.highlight[1] === i && spec.highlight[2] === j;
          if (hl) {
            g.strokeStyle = P.highlight; g.lineWidth = 2 + 9 * size + 6;
            g.beginPath(); g.moveTo(x0, y0); g.lineTo(x1, y1); g.stroke();
          }
          g.strokeStyle = v >= 0 ? P.pos : P.neg;
          g.lineWidth = 0.75 + 9 * size;
          // the sign is told by dash too (never colour alone): negative weights are dashed
          g.setLineDash(v >= 0 ? [] : [Math.max(6, 2 * g.lineWidth), g.lineWidth + 5]);
          g.beginPath(); g.moveTo(x0, y0); g.lineTo(x1, y1); g.stroke(); g.setLineDash([]);
          if (spec.values) {
            const t = 0.3 + 0.4 * (j / Math.max(nOut, 1));
            const lx = x0 + (x1 - x0) * t, ly = y0 + (y1 - y0) * t;
            g.font = "14px " + th.font; g.textAlign = "center"; g.textBaseline = "middle";
            g.lineWidth = 3; g.strokeStyle = th.bg; g.strokeText(v.toFixed(2), lx, ly - 7);
            g.fillStyle = th.text; g.fillText(v.toFixed(2), lx, ly - 7);
          }
        }
      }
    }
    if (k) {  // squares: as large as the tallest layer and the gaps between layers allow
      const side = Math.max(12, Math.min(h / (1.3 * Math.max(...layers)), (w - 68) / (2 * (layers.length - 1)), 56));
      g.imageSmoothingEnabled = false;
      pos.forEach((col, l) => col.forEach(([x, y], i) => {
        g.drawImage(tile(l, i, frame), x - side / 2, y - side / 2, side, side);
        g.strokeStyle = th.text; g.lineWidth = 1; g.strokeRect(x - side / 2, y - side / 2, side, side);
      }));
      return;
    }
    const r = Math.max(9, Math.min(16, h / (2.6 * Math.max(...layers) + 2)));
    g.font = "14px " + th.font; g.textAlign = "center"; g.textBaseline = "middle";
    pos.forEach((col, l) => col.forEach(([x, y], i) => {
      g.fillStyle = th.bg2; g.strokeStyle = th.text; g.lineWidth = 1.5;
      g.beginPath(); g.arc(x, y, r, 0, 2 * Math.PI); g.fill(); g.stroke();
      const label = spec.labels && spec.labels[l] ? spec.labels[l][i] : "";
      g.fillStyle = th.text; g.fillText(label, x, y);
    }));
  };
}

function mapPanel(spec, arrays, P) {
  const n = spec.n, m = spec.m || spec.n;
  const img = document.createElement("canvas");
  img.width = m; img.height = n;
  const ig = img.getContext("2d");
  const data = ig.createImageData(m, n);
  const table = lut(spec.sequential ? P.sequential : P.diverging);
  let lastFrame = -1;
  const [x0, x1, y0, y1] = spec.extent;
  return function draw(canvas, frame, th) {
    const { g, w, h } = sizeCanvas(canvas, spec.aspect || 1);
    const pad = { l: 30, r: 6, t: 6, b: 22 };
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    const maps = arrays.maps;
    const f = spec.static ? 0 : frame;
    if (f !== lastFrame) {
      const off = f * n * m;
      for (let r = 0; r < n; r++) {  // row r is y = y0 + r·dy: drawn bottom-up
        for (let c = 0; c < m; c++) {
          const v = maps[off + r * m + c];
          const k = ((n - 1 - r) * m + c) * 4;
          data.data[k] = table[v * 3]; data.data[k + 1] = table[v * 3 + 1]; data.data[k + 2] = table[v * 3 + 2];
          data.data[k + 3] = 255;
        }
      }
      ig.putImageData(data, 0, 0);
      lastFrame = f;
    }
    g.clearRect(0, 0, w, h);
    g.imageSmoothingEnabled = false;
    g.drawImage(img, pad.l, pad.t, pw, ph);
    const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * pw;
    const sy = (y) => pad.t + ph - ((y - y0) / (y1 - y0)) * ph;
    g.strokeStyle = th.border; g.lineWidth = 1; g.strokeRect(pad.l, pad.t, pw, ph);
    g.fillStyle = th.text; g.font = "14px " + th.font;
    g.textAlign = "center"; g.textBaseline = "top";
    g.fillText(spec.xlabel || "", pad.l + pw / 2, pad.t + ph + 5);
    const tick = (v) => String(Number(v.toPrecision(3)));
    g.textAlign = "left"; g.fillText(tick(x0), pad.l, pad.t + ph + 5);
    g.textAlign = "right"; g.fillText(tick(x1), pad.l + pw, pad.t + ph + 5);
    g.save(); g.translate(pad.l - 4, pad.t + ph); g.rotate(-Math.PI / 2); g.textAlign = "left"; g.textBaseline = "bottom";
    g.fillText(tick(y0), 0, 0); g.textAlign = "right"; g.fillText(tick(y1), ph, 0); g.restore();
    g.textAlign = "center";
    g.save(); g.translate(10, pad.t + ph / 2); g.rotate(-Math.PI / 2); g.textBaseline = "middle";
    g.fillText(spec.ylabel || "", 0, 0); g.restore();
    const pr = spec.pointRadius || 7;
    (spec.points || []).forEach((p) => {  // fixed points (XOR samples with their target colours, minima)
      const X = sx(p.x), Y = sy(p.y);
      g.beginPath();
      if (p.s === "^") { g.moveTo(X, Y - 1.25 * pr); g.lineTo(X + 1.1 * pr, Y + 0.75 * pr); g.lineTo(X - 1.1 * pr, Y + 0.75 * pr); g.closePath(); }
      else if (p.s === "s") g.rect(X - 0.9 * pr, Y - 0.9 * pr, 1.8 * pr, 1.8 * pr);
      else g.arc(X, Y, pr, 0, 2 * Math.PI);
      g.fillStyle = p.t === undefined ? th.bg : (p.t >= 0.5 ? P.pos : P.neg);
      g.fill(); g.lineWidth = pr >= 6 ? 2 : 1; g.strokeStyle = th.text; g.stroke();
      if (p.label) { g.fillStyle = th.text; g.textAlign = "left"; g.textBaseline = "middle"; g.fillText(p.label, sx(p.x) + 10, sy(p.y)); }
    });
    (spec.paths || []).forEach((s, r) => {  // descent paths: θ₀ … θ_t, then a big dot at θ_t
      const pts = arrays.paths[r];
      const upto = Math.min(frame, s.length - 1);
      g.save(); g.beginPath(); g.rect(pad.l, pad.t, pw, ph); g.clip();
      g.strokeStyle = th.bg; g.lineWidth = 5; g.globalAlpha = 0.6;
      g.beginPath();
      for (let t = 0; t <= upto; t++) { const X = sx(pts[2 * t]), Y = sy(pts[2 * t + 1]); t ? g.lineTo(X, Y) : g.moveTo(X, Y); }
      g.stroke(); g.globalAlpha = 1;
      g.strokeStyle = s.color; g.lineWidth = 2.5; g.setLineDash(s.dash || []); g.stroke(); g.setLineDash([]);
      const X = sx(pts[2 * upto]), Y = sy(pts[2 * upto + 1]);
      g.beginPath(); g.arc(X, Y, 6, 0, 2 * Math.PI); g.fillStyle = s.color; g.fill();
      g.lineWidth = 2; g.strokeStyle = th.bg; g.stroke();
      if (spec.paths.length > 1 && s.name) {  // a direct label: the series is named, not only coloured
        g.font = "bold 14px " + th.font; g.textAlign = "left"; g.textBaseline = "middle";
        g.lineWidth = 3; g.strokeStyle = th.bg; g.strokeText(s.name, X + 9, Y - 9 - 12 * r);
        g.fillStyle = th.text; g.fillText(s.name, X + 9, Y - 9 - 12 * r);
      }
      g.restore();
    });
  };
}

function curvePanel(spec, arrays, P, nFrames) {
  let cache = null, cacheKey = "";
  const log = !!spec.log, symlog = !!spec.symlog;
  const tf = (v) => (log ? Math.log10(Math.max(v, 1e-300)) : symlog ? Math.sign(v) * Math.log10(1 + Math.abs(v)) : v);
  const inv = (u) => (log ? Math.pow(10, u) : symlog ? Math.sign(u) * (Math.pow(10, Math.abs(u)) - 1) : u);
  let lo = Infinity, hi = -Infinity;
  arrays.series.forEach((vals, r) => {
    const len = spec.series[r].length || nFrames;
    for (let i = 0; i < len; i++) { const v = tf(vals[i]); if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
  });
  if (!(hi > lo)) { hi = lo + 1; lo = lo - 1; }
  return function draw(canvas, frame, th) {
    const { g, w, h } = sizeCanvas(canvas, spec.aspect || 0.5);
    const pad = { l: 54, r: 8, t: 6, b: 20 };
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    const sx = (i) => pad.l + (i / Math.max(nFrames - 1, 1)) * pw;
    const sy = (v) => pad.t + ph - ((tf(v) - lo) / (hi - lo)) * ph;
    const key = w + "x" + h + th.text + th.bg;
    if (key !== cacheKey) {  // the whole curve is drawn once per size/theme, then blitted
      cache = document.createElement("canvas");
      const dpr = window.devicePixelRatio || 1;
      cache.width = canvas.width; cache.height = canvas.height;
      const cg = cache.getContext("2d"); cg.setTransform(dpr, 0, 0, dpr, 0, 0);
      cg.strokeStyle = th.border; cg.lineWidth = 1; cg.strokeRect(pad.l, pad.t, pw, ph);
      cg.fillStyle = th.text; cg.font = "14px " + th.font; cg.textAlign = "right"; cg.textBaseline = "middle";
      const lab = (v) => fmtNum(inv(v), 3);
      cg.fillText(lab(hi), pad.l - 3, pad.t + 5); cg.fillText(lab(lo), pad.l - 3, pad.t + ph - 5);
      cg.textAlign = "center"; cg.textBaseline = "top";
      cg.fillText(spec.xlabel || "", pad.l + pw / 2, pad.t + ph + 3);
      (spec.marks || []).forEach((m) => {
        cg.setLineDash([4, 4]); cg.strokeStyle = th.text; cg.globalAlpha = 0.6;
        cg.beginPath(); cg.moveTo(sx(m.frame), pad.t); cg.lineTo(sx(m.frame), pad.t + ph); cg.stroke();
        cg.setLineDash([]); cg.globalAlpha = 1; cg.textAlign = "left"; cg.textBaseline = "top";
        cg.fillText(m.label, sx(m.frame) + 3, pad.t + 2);
      });
      arrays.series.forEach((vals, r) => {
        const len = spec.series[r].length || nFrames;
        cg.strokeStyle = spec.series[r].color; cg.lineWidth = 2; cg.beginPath();
        for (let i = 0; i < len; i++) { const X = sx(i), Y = sy(vals[i]); i ? cg.lineTo(X, Y) : cg.moveTo(X, Y); }
        cg.setLineDash(spec.series[r].dash || []); cg.stroke(); cg.setLineDash([]);
      });
      cacheKey = key;
    }
    g.clearRect(0, 0, w, h);
    g.drawImage(cache, 0, 0, w, h);
    g.strokeStyle = P.highlight; g.lineWidth = 2;
    g.beginPath(); g.moveTo(sx(frame), pad.t); g.lineTo(sx(frame), pad.t + ph); g.stroke();
    arrays.series.forEach((vals, r) => {
      const len = spec.series[r].length || nFrames;
      const i = Math.min(frame, len - 1);
      g.beginPath(); g.arc(sx(i), sy(vals[i]), 5, 0, 2 * Math.PI);
      g.fillStyle = spec.series[r].color; g.fill(); g.strokeStyle = th.bg; g.lineWidth = 1.5; g.stroke();
    });
  };
}

function barsPanel(spec, arrays, P) {
  const k = spec.labels.length;
  return function draw(canvas, frame, th) {
    const { g, w, h } = sizeCanvas(canvas, spec.aspect || 0.45);
    g.clearRect(0, 0, w, h);
    const rowH = h / k, left = 58, right = 52, bw = w - left - right;
    g.font = "14px " + th.font; g.textBaseline = "middle";
    for (let i = 0; i < k; i++) {
      const v = arrays.values[frame * k + i];
      const y = i * rowH + rowH / 2;
      g.fillStyle = th.text; g.textAlign = "left"; g.fillText(spec.labels[i], 2, y);
      g.fillStyle = th.bg2; g.fillRect(left, y - rowH * 0.3, bw, rowH * 0.6);
      g.fillStyle = v >= 0.5 ? P.pos : P.neg; g.fillRect(left, y - rowH * 0.3, bw * Math.max(0, Math.min(1, v)), rowH * 0.6);
      const tx = left + bw * spec.targets[i];
      g.strokeStyle = th.text; g.lineWidth = 2; g.beginPath(); g.moveTo(tx, y - rowH * 0.4); g.lineTo(tx, y + rowH * 0.4); g.stroke();
      g.fillStyle = th.text; g.textAlign = "right"; g.fillText(v.toFixed(4), w - 2, y);
    }
  };
}

// ---------------------------------------------------------------------------------------------

const DRAWERS = 24;  // panels' drawers kept per player (a few histories' worth)

function panelKey(spec, data) {  // the spec with each blob named by its digest, and what a drawer reads besides
  const named = JSON.stringify(spec, (k, v) => (v && typeof v === "object" && typeof v.b64 === "string" ? v.h || v.b64 : v));
  return `${data.n}|${JSON.stringify(data.palette)}|${named}`;
}

async function build(root, data, S) {
  const P = data.palette;
  const panels = [];
  const all = (blobs) => Promise.all((blobs || []).map(decode));
  // every blob of every panel inflates at once (one wait, not one per blob)
  const pending = data.panels.map((spec) => Promise.all([
    spec.type === "network" ? all(spec.weights) : null,
    spec.type === "network" && spec.widths ? all(spec.widths) : null,
    spec.type === "network" && spec.unitMaps ? all(spec.unitMaps) : null,
    spec.type === "map" ? decode(spec.maps) : null,
    spec.type === "map" ? all((spec.paths || []).map((s) => s.points)) : null,
    spec.type === "curve" ? all(spec.series.map((s) => s.values)) : null,
    spec.type === "bars" ? decode(spec.values) : null,
  ]));
  const readoutP = data.readout ? decode(data.readout.values) : Promise.resolve(null);
  const decoded = await Promise.all(pending);
  for (const [k, spec] of data.panels.entries()) {
    const [w, widths, unitMaps, maps, paths, series, values] = decoded[k];
    const arrays = {};
    if (spec.type === "network") {
      arrays.w = w;
      if (spec.widths) arrays.widths = widths;
      if (spec.unitMaps) arrays.unitMaps = unitMaps;
    }
    if (spec.type === "map") { arrays.maps = maps; arrays.paths = paths; }
    if (spec.type === "curve") arrays.series = series;
    if (spec.type === "bars") arrays.values = values;
    // a panel seen before (same spec and arrays: another setting moved back) keeps its drawer, with its
    // tiles, image and curve already drawn
    const pkey = panelKey(spec, data);
    let draw = S.drawers.get(pkey);
    if (draw) S.drawers.delete(pkey);
    else if (spec.type === "network") draw = networkPanel(spec, arrays, P);
    else if (spec.type === "map") draw = mapPanel(spec, arrays, P);
    else if (spec.type === "curve") draw = curvePanel(spec, arrays, P, data.n);
    else draw = barsPanel(spec, arrays, P);
    S.drawers.set(pkey, draw);
    while (S.drawers.size > DRAWERS) S.drawers.delete(S.drawers.keys().next().value);
    panels.push({ spec, draw });
  }
  const readout = await readoutP;
  return { panels, readout };
}

function layout(root, data, built, S) {
  // a new history with the same panels (e.g. another network width): keep the canvases and headings
  const key = JSON.stringify([data.columns, data.colWidths, data.legend,
    data.panels.map((p) => [p.type, p.title, p.alt])]);
  if (S.layoutKey === key && S.canvases && S.canvases.length === built.panels.length) {
    built.panels.forEach((p, i) => { p.canvas = S.canvases[i]; });
    return;
  }
  S.layoutKey = key;
  const stage = root.querySelector(".glp-stage");
  stage.innerHTML = "";
  const cols = data.columns || built.panels.map((_, i) => [i]);
  stage.style.setProperty("--glp-cols", String(cols.length));
  if (data.colWidths) stage.style.gridTemplateColumns = data.colWidths.map((f) => `minmax(0, ${f}fr)`).join(" ");
  else stage.style.gridTemplateColumns = "";
  cols.forEach((idxs) => {
    const col = document.createElement("div");
    col.className = "glp-panel";
    idxs.forEach((i) => {
      const p = built.panels[i];
      const h = document.createElement("h4");
      h.textContent = p.spec.title || "";
      const c = document.createElement("canvas");
      c.setAttribute("role", "img");
      c.setAttribute("aria-label", p.spec.alt || p.spec.title || "");
      col.appendChild(h); col.appendChild(c);
      p.canvas = c;
    });
    stage.appendChild(col);
  });
  S.canvases = built.panels.map((p) => p.canvas);
  root.querySelector(".glp-legend").textContent = data.legend || "";
}

// A player that follows a stepper (data.lead, ui/player.py's `follow`): {leader, at, variants: {pos: history}}.
// A blob repeated across histories comes once; the others are {ref: digest}, linked back here.
function linkRefs(data) {
  const byHash = new Map();
  const walk = (x) => {
    if (Array.isArray(x)) { for (let i = 0; i < x.length; i++) x[i] = walk(x[i]); return x; }
    if (x && typeof x === "object") {
      if (typeof x.b64 === "string") { if (x.h) byHash.set(x.h, x); return x; }
      if (typeof x.ref === "string" && Object.keys(x).length === 1) return byHash.get(x.ref) || x;
      for (const k of Object.keys(x)) x[k] = walk(x[k]);
    }
    return x;
  };
  walk(data.panels); walk(data.readout); walk(data.lead);
}

function blobsOf(x, out) {
  if (Array.isArray(x)) x.forEach((v) => blobsOf(v, out));
  else if (x && typeof x === "object") {
    if (typeof x.b64 === "string") out.push(x);
    else Object.values(x).forEach((v) => blobsOf(v, out));
  }
  return out;
}

// The history to show: the variant of the position the leader shows ([null, true]: none yet, wait).
function chosen(S) {
  const d = S.base, L = d.lead;
  if (!L) return [d, false];
  const pos = (window.__glsAt || {})[L.leader];
  if (!pos || pos.at === L.at) return [d, false];
  const v = L.variants[pos.at];
  if (!v) return [null, true];
  let merged = S.merged.get(pos.at);
  if (!merged) { merged = Object.assign({}, d, v); S.merged.set(pos.at, merged); }
  return [merged, false];
}

function show(root, S) {
  const [data, waiting] = chosen(S);
  if (root.classList.contains("glp-wait") !== waiting) {
    root.classList.toggle("glp-wait", waiting);
    root.setAttribute("aria-busy", waiting ? "true" : "false");
  }
  if (data) ingest(root, S, data);
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".glp");
  if (!root || !data) return;
  let S = root.__glp;
  if (!S) {
    S = root.__glp = { id: null, frame: 0, playing: false, speed: 1, raf: 0, draws: 0, built: null, seek: null,
      drawers: new Map(), base: null, merged: new Map() };
    window.__glPlayers = window.__glPlayers || [];
    window.__glPlayers.push(S);
    wire(root, S);
  }
  S.report = (f) => setStateValue("frame", f);
  if (S.base !== data) {
    S.base = data; S.merged = new Map();
    if (data.lead) {
      linkRefs(data);
      // every variant's arrays decoded now, while the learner reads: a step to one is then a redraw
      for (const b of blobsOf(data.lead.variants, [])) decode(b);
    }
  }
  show(root, S);
}

function ingest(root, S, data) {
  S.data = data;
  if (S.id === data.id && S.seek === data.seek) { S.redraw && S.redraw(); return; }
  const sought = S.id !== null && S.seek !== data.seek;
  if (S.id === data.id && S.built) { S.seek = data.seek; goto(root, S, data.frame || 0, true); return; }
  const sameHistory = S.id === data.id;
  const keepEpoch = S.id !== null && !sameHistory && S.epochOf ? S.epochOf(S.frame) : null;
  const oldFrame = S.frame;
  S.id = data.id; S.seek = data.seek;
  const token = {};
  S.token = token;
  build(root, data, S).then((built) => {
    if (S.token !== token) return;
    S.built = built;
    layout(root, data, built, S);
    const epochs = data.epochs;  // {first, every} : frame i is epoch first + i·every
    S.n = data.n;
    S.epochOf = (f) => epochs.first + f * epochs.every;
    S.frameOf = (e) => Math.max(0, Math.min(S.n - 1, Math.round((e - epochs.first) / epochs.every)));
    const scrub = root.querySelector(".glp-scrub");
    scrub.max = String(S.n - 1);
    root.querySelector(".glp-label").textContent = data.label || "Frame";
    const pa = root.querySelector(".glp-pauseat");
    root.querySelector(".glp-pauseat-wrap").style.display = data.pauseAt === undefined ? "none" : "";
    if (!sameHistory && data.pauseAt !== undefined && data.pauseAt !== null) pa.value = String(data.pauseAt);
    pa.step = String(epochs.every); pa.max = String(S.epochOf(S.n - 1));
    const wasAtEnd = keepEpoch !== null && S.oldLast === S.frame;
    let start = keepEpoch !== null && data.follow && !sought ? S.frameOf(keepEpoch) : Math.min(data.frame || 0, S.n - 1);
    if (wasAtEnd && data.followEnd && !sought) start = S.n - 1;
    S.oldLast = S.n - 1;
    const wasPlaying = S.playing && data.follow && !sought;
    stop(S, false);
    S.frame = start;
    render(root, S);
    // a new history where the same epoch has another index: report it so the page's state follows
    if (sought || (keepEpoch !== null && S.frame !== oldFrame)) S.report(S.frame);
    const reduced = window.matchMedia && window.matchMedia(REDUCED).matches;
    root.dataset.reducedMotion = String(!!reduced);
    const first = !S.autoplayed;  // autoplay is for the first history a page shows, never after a change
    S.autoplayed = true;
    if ((wasPlaying || (data.autoplay && first)) && !reduced) play(root, S);
  });
}

function render(root, S) {
  const d = S.data, b = S.built;
  if (!b) return;
  const th = theme(root);
  const P = Object.assign({}, d.palette);
  for (const p of b.panels) if (p.canvas) p.draw(p.canvas, S.frame, th, P);
  S.draws++;
  root.dataset.frame = String(S.frame);
  if (root.dataset.history !== S.id) root.dataset.history = S.id;
  root.dataset.epoch = String(S.epochOf(S.frame));
  root.querySelector(".glp-epoch").textContent = S.epochOf(S.frame).toLocaleString("en-US");
  root.querySelector(".glp-scrub").value = String(S.frame);
  const legend = root.querySelector(".glp-legend");
  if (legend.textContent !== (d.legend || "")) legend.textContent = d.legend || "";
  if (b.readout) {
    root.querySelector(".glp-extra").textContent = `${d.readout.label} ${fmtNum(b.readout[S.frame], d.readout.digits || 6)}`;
  }
}

function setPlaying(root, S, on) {
  S.playing = on;
  root.dataset.playing = String(on);
  const btn = root.querySelector(".glp-play");
  btn.textContent = on ? "❚❚ Pause" : "▶ Play";
  btn.setAttribute("aria-label", on ? "Pause (Space)" : "Play (Space)");
  root.querySelector(".glp-status").textContent = on ? "playing" : "paused";
}

function stop(S, report) {
  if (S.raf) cancelAnimationFrame(S.raf);
  S.raf = 0;
  if (S.root) setPlaying(S.root, S, false);
  if (report && S.report) S.report(S.frame);
}

function play(root, S) {
  if (!S.built || S.playing) return;
  if (S.frame >= S.n - 1) S.frame = 0;
  const pa = root.querySelector(".glp-pauseat");
  const target = pa.value === "" ? null : S.frameOf(Number(pa.value));
  S.stopAt = target !== null && target > S.frame && root.querySelector(".glp-pauseat-wrap").style.display !== "none" ? target : S.n - 1;
  S.t0 = performance.now(); S.f0 = S.frame;
  setPlaying(root, S, true);
  const fps = (S.data.fps || 60) * S.speed;
  const tick = (now) => {
    if (!S.playing) return;
    const f = Math.min(S.f0 + Math.floor((Math.max(0, now - S.t0) * fps) / 1000), S.stopAt);
    if (f !== S.frame) { S.frame = f; render(root, S); }
    if (S.frame >= S.stopAt) { stop(S, true); return; }
    S.raf = requestAnimationFrame(tick);
  };
  S.raf = requestAnimationFrame(tick);
}

function goto(root, S, f, report) {
  if (!S.built) return;
  const was = S.playing;
  if (was) { S.playing = false; if (S.raf) cancelAnimationFrame(S.raf); S.raf = 0; setPlaying(root, S, false); }
  S.frame = Math.max(0, Math.min(S.n - 1, f));
  render(root, S);
  if (report) S.report(S.frame);
}

function wire(root, S) {
  S.root = root;
  const onPosition = (ev) => {
    if (!root.isConnected) { document.removeEventListener("gls-position", onPosition); return; }
    const L = S.base && S.base.lead;
    if (L && ev.detail && ev.detail.key === L.leader) show(root, S);
  };
  document.addEventListener("gls-position", onPosition);
  S.redraw = () => render(root, S);
  S.play = () => play(root, S);  // for benchmarks and tests: the same as pressing Play
  S.pause = () => { if (S.playing) stop(S, true); };
  root.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button");
    if (!btn) return;
    const act = btn.dataset.act;
    if (act === "play") (S.playing ? stop(S, true) : play(root, S));
    else if (act === "back") goto(root, S, S.frame - 1, true);
    else if (act === "fwd") goto(root, S, S.frame + 1, true);
    else if (act === "reset") goto(root, S, 0, true);
  });
  const scrub = root.querySelector(".glp-scrub");
  scrub.addEventListener("input", () => goto(root, S, Number(scrub.value), false));
  scrub.addEventListener("change", () => goto(root, S, Number(scrub.value), true));
  root.querySelector(".glp-speed").addEventListener("change", (ev) => {
    S.speed = Number(ev.target.value);
    if (S.playing) { S.playing = false; if (S.raf) cancelAnimationFrame(S.raf); play(root, S); }
  });
  root.addEventListener("keydown", (ev) => {
    const tag = ev.target.tagName;
    if (tag === "INPUT" && ev.target.type === "number") return;
    if (tag === "SELECT") return;
    if (ev.key === " " && tag !== "BUTTON") { ev.preventDefault(); S.playing ? stop(S, true) : play(root, S); }
    else if (tag === "INPUT") return;  // the scrubber handles its own arrows, Home and End
    else if (ev.key === "ArrowLeft") { ev.preventDefault(); goto(root, S, S.frame - 1, true); }
    else if (ev.key === "ArrowRight") { ev.preventDefault(); goto(root, S, S.frame + 1, true); }
    else if (ev.key === "Home") { ev.preventDefault(); goto(root, S, 0, true); }
    else if (ev.key === "End") { ev.preventDefault(); goto(root, S, S.n - 1, true); }
  });
  let pending = 0;
  new ResizeObserver(() => { cancelAnimationFrame(pending); pending = requestAnimationFrame(() => render(root, S)); }).observe(root);
  if (window.matchMedia) {
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    mq.addEventListener && mq.addEventListener("change", () => render(root, S));
  }
}
