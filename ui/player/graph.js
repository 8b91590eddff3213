// The graph component's mount (ui/graphs.py): graph_core.js comes first in the same module.

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".glg");
  if (!root || !data || !data.layout) return;
  let S = root.__glg;
  if (!S || S.id !== data.id) S = root.__glg = GLGraph.build(root, data);
  GLGraph.paint(S, data);
}
