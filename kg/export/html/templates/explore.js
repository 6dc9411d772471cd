// Exploring: select a node and light up its neighbours, expand it, reveal a hidden node, show only a neighbourhood.
var EXPAND_STEP = 40, EGO_MAX = 300;
var highlighted = null, recolour = false;  // highlighted: node id -> true while a neighbourhood is lit
var DIM = { background: "rgba(200,200,200,0.25)", border: "rgba(180,180,180,0.3)" };
function highlight(id) {
  if (id < 0 && !highlighted && !state.byCluster && !recolour) return;  // nothing to undo
  recolour = false;
  highlighted = null;
  if (id >= 0) {
    highlighted = {};
    highlighted[id] = true;
    neighbourIds(id).forEach(function (o) { if (drawn[o]) highlighted[o] = true; });
    if (state.ego === 0) edges.get({ filter: function (e) { return e.rel === "shared" && (e.from === id || e.to === id); } })
      .forEach(function (e) { highlighted[e.from] = highlighted[e.to] = true; });
  }
  nodes.update(nodes.getIds().map(function (i) {
    return { id: i, color: !highlighted || highlighted[i] ? baseColour(i) : DIM };
  }));
  edges.update(edges.get().map(function (e) {
    var on = !highlighted || (e.from === id || e.to === id);
    return { id: e.id, color: edgeColour(e.color.color, on ? 1 : 0.12) };
  }));
  labelOrder = null;
}

function hiddenNeighbours(id) { return neighbourIds(id).filter(function (o) { return !drawn[o]; }); }
function ring(cx, cy, ids, r0) {
  var out = [], k = ids.length, r = Math.max(r0 || 90, k * 26 / (2 * Math.PI));
  ids.forEach(function (o, i) {
    var a = 2 * Math.PI * i / Math.max(k, 1) + 0.3;
    out.push([o, Math.round(cx + r * Math.cos(a)), Math.round(cy + r * Math.sin(a))]);
  });
  return out;
}
function expand(id) {
  if (!drawn[id]) return [];
  var add = hiddenNeighbours(id).slice(0, EXPAND_STEP), p = network.getPosition(id);
  addNodes(ring(p.x, p.y, add));
  if (state.expanded.indexOf(id) < 0) state.expanded.push(id);
  applyFilters();
  highlight(state.selected);
  if (state.selected >= 0) showNodePanel(state.selected);
  return add;
}
function reveal(id) {  // a node not drawn: drawn beside its drawn neighbours (or right of the map), with its neighbours
  if (drawn[id]) return;
  var near = neighbourIds(id).filter(function (o) { return drawn[o]; }), x = 0, y = 0;
  if (near.length) {
    near.slice(0, 10).forEach(function (o) { var p = network.getPosition(o); x += p.x; y += p.y; });
    x = x / Math.min(near.length, 10) + 60; y = y / Math.min(near.length, 10) + 60;
  } else {
    var ids = nodes.getIds(), pos = network.getPositions(ids), maxX = 0;
    ids.forEach(function (i) { maxX = Math.max(maxX, pos[i].x); });
    x = maxX + 400;
  }
  addNodes([[id, Math.round(x), Math.round(y)]]);
  expand(id);
}
function ego(id, depth) {
  depth = depth === 2 ? 2 : 1;
  var level = {}, order = [id], frontier = [id];
  level[id] = 0;
  for (var d = 1; d <= depth; d++) {
    var next = [];
    frontier.forEach(function (u) {
      neighbourIds(u).forEach(function (o) { if (level[o] === undefined) { level[o] = d; next.push(o); } });
    });
    next.sort(function (a, b) { return rank[a] - rank[b]; });
    order = order.concat(next);
    frontier = next.slice(0, EGO_MAX);
  }
  order = order.slice(0, EGO_MAX);
  // Radial layout: the node in the middle, each depth on a ring; depth 2 grouped near its parents.
  var rings = [[], [], []];
  order.forEach(function (o) { rings[level[o]].push(o); });
  var angle = {}, list = [[id, 0, 0]], r1 = Math.max(220, rings[1].length * 36 / (2 * Math.PI));
  rings[1].sort(function (a, b) { return N.kind[a] - N.kind[b] || rank[a] - rank[b]; });
  rings[1].forEach(function (o, i) {
    var a = 2 * Math.PI * i / rings[1].length;
    angle[o] = a;
    list.push([o, Math.round(r1 * Math.cos(a)), Math.round(r1 * Math.sin(a))]);
  });
  if (rings[2].length) {
    var r2 = r1 + Math.max(200, rings[2].length * 24 / (2 * Math.PI));
    var at = rings[2].map(function (o) {
      var sum = 0, k = 0;
      neighbourIds(o).forEach(function (p) { if (angle[p] !== undefined) { sum += angle[p]; k++; } });
      return [o, k ? sum / k : 0];
    }).sort(function (a, b) { return a[1] - b[1] || rank[a[0]] - rank[b[0]]; });
    at.forEach(function (a, i) {
      var t = 2 * Math.PI * i / at.length;
      list.push([a[0], Math.round(r2 * Math.cos(t)), Math.round(r2 * Math.sin(t))]);
    });
  }
  nodes.clear(); edges.clear(); drawn = {};
  addNodes(list);
  state.ego = depth; state.egoRoot = id; state.expanded = [];
  applyFilters();
  select(id, { quiet: true });
  network.fit({ animation: false });
  return order.length;
}
function overview() {  // back to the map as it opened
  showOverview();
  applyFilters();
  select(-1);
  goHome();
}

function select(id, opts) {
  opts = opts || {};
  state.selected = id;
  if (id >= 0 && drawn[id]) network.selectNodes([id]);
  else if (network.getSelectedNodes().length || network.getSelectedEdges().length) network.unselectAll();  // (it redraws)
  highlight(id);
  if (id >= 0) showNodePanel(id); else showOverviewPanel();
  if (!opts.quiet) writeHash();
}
function choose(id) {  // from search or a panel link: draw it if needed, select it and bring it into view
  if (id < 0 || id >= n) return;
  if (!drawn[id]) reveal(id);
  if (state.kindsOff[kindOf(id)]) { state.kindsOff[kindOf(id)] = false; applyFilters(); }
  select(id);
  network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
}
