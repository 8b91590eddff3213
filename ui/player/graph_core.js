// Gradient Lab computational graph, shared by two components (their js is this file + their own):
// the graph component (graph.js, ui/graphs.py) and the stepper (ui/stepper/, ui/stepper.py). The SVG is
// built once per layout (data.id); a step changes only colours, dashes and texts of the elements there.

const GLGraph = (() => {
const NS = "http://www.w3.org/2000/svg";
let uid = 0;

function el(tag, attrs, parent) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

function pathOf(points) {  // through every point, leaving and entering each horizontally
  let d = `M${points[0][0]},${points[0][1]}`;
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1], [x1, y1] = points[i];
    const h = (x1 - x0) / 2;
    d += ` C${x0 + h},${y0} ${x1 - h},${y1} ${x1},${y1}`;
  }
  return d;
}

function marker(defs, id) {
  const m = el("marker", { id, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 9, markerHeight: 9,
    markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, defs);
  return el("path", { d: "M0,0 L10,5 L0,10 z" }, m);
}

function build(root, data) {
  const L = data.layout;
  root.replaceChildren();
  const k = ++uid;
  const svg = el("svg", { viewBox: `0 0 ${L.width} ${L.height}`, role: "img", "font-size": L.font }, root);
  svg.style.width = data.fit ? "100%" : `${L.width}px`;
  const title = el("title", {}, svg);
  const defs = el("defs", {}, svg);
  const S = { id: data.id, svg, title, arrow: marker(defs, `glg-a${k}`), flow: marker(defs, `glg-f${k}`), k };
  S.edges = L.edges.map((e) => ({ e, p: el("path", { d: pathOf(e.points), fill: "none" }, svg) }));
  S.ops = L.ops.map((o) => {
    const g = el("g", {}, svg);
    const c = el("circle", { cx: o.x, cy: o.y, r: o.r }, g);
    const t = el("text", { x: o.x, y: o.y, "text-anchor": "middle", "dominant-baseline": "central" }, g);
    t.textContent = o.text;
    return { o, c, t };
  });
  S.nodes = L.nodes.map((n) => {
    const g = el("g", {}, svg);
    const x0 = n.x - n.w / 2, y0 = n.y - n.h / 2;
    const outer = n.root ? el("rect", { x: x0 - 4, y: y0 - 4, width: n.w + 8, height: n.h + 8, rx: 9, fill: "none" }, g) : null;
    const box = el("rect", { x: x0, y: y0, width: n.w, height: n.h, rx: 6 }, g);
    const row = (i, anchor, bold) => el("text", {
      x: anchor === "middle" ? n.x : x0 + L.padX, y: y0 + 6 + L.line * (i + 0.5), "text-anchor": anchor,
      "dominant-baseline": "central", "font-weight": bold ? 700 : 400 }, g);
    const rows = [row(0, "middle", true)];
    for (let i = 1; i < n.lines; i++) rows.push(row(i, "start", false));
    return { n, outer, box, rows };
  });
  return S;
}

function paint(S, data) {
  const P = data.palette, looks = data.looks, cur = data.current;
  S.title.textContent = data.alt || "";
  S.svg.setAttribute("aria-label", data.alt || "");
  S.arrow.setAttribute("fill", P.edge);
  S.flow.setAttribute("fill", P.flow);
  const set = (e, attrs) => { for (const [k, v] of Object.entries(attrs)) if (e.getAttribute(k) !== String(v)) e.setAttribute(k, String(v)); };
  const text = (e, s) => { if (e.textContent !== s) e.textContent = s; };
  for (const { e, p } of S.edges) {
    const flow = e.owner === cur;
    set(p, { stroke: flow ? P.flow : P.edge, "stroke-width": flow ? 3 : 1.3,
      "marker-end": flow ? "none" : `url(#glg-a${S.k})`, "marker-start": flow ? `url(#glg-f${S.k})` : "none" });
  }
  for (const { o, c, t } of S.ops) {
    const on = o.id === cur;
    set(c, { fill: on ? P.current : P.op, stroke: on ? P.current_border : P.border, "stroke-width": on ? 3 : 1.4 });
    set(t, { fill: P.text });
  }
  const STYLE = {
    value: [P.value, P.border, 1.4], input: [P.input, P.input_border, 2], const: [P.const, P.border, 1.4],
    current: [P.current, P.current_border, 3.5],
  };
  for (const { n, outer, box, rows } of S.nodes) {
    const look = looks[n.id];
    const [fill, stroke, width] = STYLE[look.kind] || STYLE.value;
    set(box, { fill, stroke, "stroke-width": width, "stroke-dasharray": look.dashed ? "6 4" : "none" });
    if (outer) set(outer, { stroke, "stroke-width": 1.4 });
    const lines = [[look.title, P.text]];
    if (look.data !== null) lines.push([look.data, P.text]);
    lines.push([look.grad, look.known ? P.text : P.muted]);
    lines.push([look.added || "", P.flow]);
    rows.forEach((r, i) => {
      const [s, colour] = lines[i] || ["", P.text];
      text(r, s);
      set(r, { fill: colour, "font-weight": i === 0 || i === lines.length - 1 ? 700 : 400 });
    });
  }
}

return { build, paint, el, NS };
})();
