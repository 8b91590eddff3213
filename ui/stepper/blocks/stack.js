// Stepper block "stack" (ui/stepper_map.py `stack`): its children one under the other, as one item of a row
// (a column of a two-column layout that stays together when the row stacks on a phone).
BLOCKS.stack = {
  build(host, spec, frame, ctx) {
    const e = h("div", "gls-stack", host);
    e.style.display = "flex";
    e.style.flexDirection = "column";
    e.style.gap = "0.5rem";
    const kids = spec.children.map((c) => ({ spec: c, S: BLOCKS[c.type].build(e, c, frame, ctx) }));
    return { kids };
  },
  paint(S, spec, frame, ctx) { for (const k of S.kids) BLOCKS[k.spec.type].paint(k.S, k.spec, frame, ctx); },
};
