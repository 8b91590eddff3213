// Gradient Lab stepper (ui/stepper.py): a slider whose every position was computed on the server and sent
// in one payload, drawn here frame by frame. A step draws in the browser and sends nothing; the position
// is reported once the learner stops (data.reportMs after the last move), which reruns the page's fragment
// only to write the link. Every text arrives as data and is set with textContent: nothing is parsed as
// HTML or Markdown. Blocks register in BLOCKS (their files follow this one in the same module).
// A block is {build(host, spec, frame, ctx) -> state, paint(state, spec, frame, ctx)}: build once per payload
// (data.id), paint on every step; ctx.data is the payload (theme, ink colours from ui/palette.py). Colours
// come from the payload, never from literals here.

const BLOCKS = {};
const SVGNS = "http://www.w3.org/2000/svg";

function h(tag, cls, parent, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (parent) parent.appendChild(e);
  return e;
}

function svgEl(tag, attrs, parent) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

// A run is [style, text]: style letters b (bold), c (code), m (muted). A paragraph {runs, li}.
function runsInto(parent, runs) {
  for (const [style, text] of runs || []) {
    let e = parent;
    if (style && style.includes("c")) e = h("code", null, e);
    if (style && style.includes("b")) e = h("strong", null, e);
    if (style && style.includes("m")) e = h("span", "gls-m", e);
    e.appendChild(document.createTextNode(String(text)));
  }
}

function paragraphsInto(parent, paras) {
  parent.replaceChildren();
  let list = null;
  for (const p of paras || []) {
    if (p.li) {
      if (!list) list = h("ul", null, parent);
      runsInto(h("li", null, list), p.runs);
    } else {
      list = null;
      runsInto(h("p", p.small ? "gls-small" : null, parent), p.runs);
    }
  }
}

// "dark" or "light": the theme the page is drawn in now (its background's luminance), not the one the
// server guessed (st.context.theme can lag the browser's colour scheme on a first load).
function themeOf(el) {
  const bg = (getComputedStyle(el).getPropertyValue("--st-background-color") || "").trim();
  let rgb = null;
  const hex = bg.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (hex) {
    const x = hex[1].length === 3 ? hex[1].split("").map((c) => c + c).join("") : hex[1];
    rgb = [0, 2, 4].map((i) => parseInt(x.slice(i, i + 2), 16));
  } else {
    const m = bg.match(/rgba?\(([^)]+)\)/);
    if (m) rgb = m[1].split(",").slice(0, 3).map((v) => parseFloat(v));
  }
  if (!rgb) return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  const lum = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
  return lum < 0.5 ? "dark" : "light";
}

// How much larger than 16 px the page's text is: 1.5 in presentation mode (html { font-size: 150% }). Blocks
// scale their chart text (14 px, the charts' minimum) and margins by it, as the Vega charts' text is.
function textScale() {
  return Math.max(1, (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16) / 16);
}

// The value of a per-frame field: spec[name][frame] when the block lists one per frame, else spec[name].
function at(spec, name, frame) {
  const v = spec[name];
  return spec.perFrame && spec.perFrame.includes(name) ? v[Math.min(frame, v.length - 1)] : v;
}

BLOCKS.heading = {
  build(host, spec) { return { e: h("h4", null, host, spec.text) }; },
  paint() {},
};

BLOCKS.text = {
  build(host, spec) {
    const e = h("div", "gls-text" + (spec.border ? " gls-border" : "") + (spec.small ? " gls-small" : ""), host);
    if (spec.live) e.setAttribute("aria-live", "polite");
    return { e, last: null };
  },
  paint(S, spec, frame) {
    const paras = at(spec, "paras", frame);
    if (S.last === paras) return;
    S.last = paras;
    paragraphsInto(S.e, paras);
  },
};

BLOCKS.table = {
  build(host, spec) {
    const wrap = h("div", "gls-text", host);
    if (spec.width) { wrap.style.flex = `0 1 ${spec.width / 16}rem`; }  // rem: 1.5x in presentation mode
    const scroll = h("div", "gls-table-wrap", wrap);
    // a box that may scroll sideways (a phone) takes the focus, so a keyboard can scroll it
    scroll.tabIndex = 0;
    scroll.setAttribute("role", "region");
    scroll.setAttribute("aria-label", spec.caption || "Table (scrolls sideways on a narrow screen)");
    const table = h("table", null, scroll);
    if (spec.caption) h("caption", "gls-small", table, spec.caption).style.textAlign = "left";
    const tr = h("tr", null, h("thead", null, table));
    spec.header.forEach((cell, j) => {
      const th = h("th", spec.align && spec.align[j] === "r" ? "r" : null, tr);
      runsInto(th, typeof cell === "string" ? [["", cell]] : cell);
      th.setAttribute("scope", "col");
    });
    const body = h("tbody", null, table);
    const note = h("div", "gls-small", wrap);
    note.style.marginTop = "0.4rem";
    return { body, note, rows: null, notes: null };
  },
  paint(S, spec, frame) {
    const rows = at(spec, "rows", frame);
    if (S.rows !== rows) {
      S.rows = rows;
      S.body.replaceChildren();
      for (const row of rows) {
        const tr = h("tr", null, S.body);
        row.forEach((cell, j) => runsInto(h("td", spec.align && spec.align[j] === "r" ? "r" : null, tr), cell));
      }
    }
    const note = at(spec, "note", frame);
    if (S.notes !== note) { S.notes = note; paragraphsInto(S.note, note); }
  },
};

BLOCKS.graph = {
  build(host, spec, frame) {
    const root = h("div", "glg", host);
    return { root, g: null, spec };
  },
  paint(S, spec, frame, ctx) {
    const palette = spec.palette[ctx.data.theme] || spec.palette.light || spec.palette;
    const data = { id: spec.id, layout: spec.layout, fit: spec.fit, palette,
      looks: spec.looks[frame], current: spec.current[frame], alt: spec.alt[frame] };
    if (!S.g) S.g = GLGraph.build(S.root, data);
    GLGraph.paint(S.g, data);
  },
};

BLOCKS.row = {
  build(host, spec, frame, ctx) {
    const e = h("div", "gls-row", host);
    const kids = spec.children.map((c) => ({ spec: c, S: BLOCKS[c.type].build(e, c, frame, ctx) }));
    return { kids };
  },
  paint(S, spec, frame, ctx) { for (const k of S.kids) BLOCKS[k.spec.type].paint(k.S, k.spec, frame, ctx); },
};
