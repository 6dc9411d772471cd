// The network on the canvas: what is drawn, how each node and edge looks, its tooltip (built on hover), the overview.
// main.js makes `network` (openNetwork) and hooks its events; the other files change the view through these.
var CLUSTER_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                       "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
var nodes = new vis.DataSet(), edges = new vis.DataSet(), network = null, home = null;
var container = document.getElementById("kg-network");
var drawn = {};  // node id -> true while it is in the DataSet
var state = { selected: -1, ego: 0, egoRoot: -1, expanded: [], kindsOff: {}, relsOff: {}, from: 0,
              to: Math.max(P.periods.length - 1, 0), byCluster: false };
var clusterColour = {};
if (data.cluster) data.cluster.top.forEach(function (c, i) { clusterColour[c[0]] = CLUSTER_COLOURS[i]; });

function openNetwork() {
  network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: false, layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, multiselect: false },
    nodes: { borderWidth: 1, font: { size: 0 } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1 },
  });
  return network;
}

function nodeSize(id) {
  return N.kind[id] === PAPER ? 7 : Math.min(42, 5 + 3.5 * Math.sqrt(N.papers[id]));
}
function baseColour(id) {
  if (state.byCluster && data.cluster) {
    var c = data.cluster.of[id];
    return clusterColour.hasOwnProperty(c) ? clusterColour[c] : "#cfcfcf";
  }
  return STYLE.kind[N.kind[id]][1];
}
function edgeColour(c, opacity) {  // the relation's colour also when selected or hovered
  return { color: c, highlight: c, hover: c, opacity: opacity, inherit: false };
}
function visNode(id, x, y) {
  return { id: id, x: x, y: y, shape: STYLE.kind[N.kind[id]][0], size: nodeSize(id), color: baseColour(id),
           title: tipBox };
}
function visEdge(e) {
  var r = E.r[e], rel = RELS[r], claims = claimsOfEdge(e);
  var edge = { id: "e" + e, from: E.s[e], to: E.t[e], rel: rel, color: edgeColour(STYLE.rel[r], 1),
               width: claims.length ? 1 + Math.min(claims.length, 4) : (rel === "mentions" ? 0.6 : 1.2),
               title: tipBox, arrows: { to: { enabled: true, scaleFactor: 0.45 } } };
  if (claims.length) edge.smooth = { enabled: true, type: "curvedCW", roundness: 0.15 };
  return edge;
}
function coEdge(i) {  // a dashed line between two drawn entities that share papers
  var a = V.co[3 * i], b = V.co[3 * i + 1], k = V.co[3 * i + 2];
  return { id: "c" + i, from: a, to: b, rel: "shared", color: edgeColour(STYLE.co, 1), dashes: [4, 4],
           width: Math.min(4, 0.5 + Math.log(1 + k)), shared: k, title: tipBox };
}

// Tooltips: every drawn node and edge has the same element as its title, filled for whatever the
// pointer is on when vis-network shows it, so none is built at load.
var tipBox = el("div"), tipFor = null;
function showTip(id) {
  if (id === tipFor || id === undefined || id === null) return;
  tipFor = id;
  tipBox.textContent = "";
  tipBox.appendChild(tip(id));
}
function tip(id) {  // the tooltip of node `id` (a number), edge "e<edge>" or shared-papers line "c<pair>"
  if (typeof id === "number") return nodeTip(id);
  var i = +String(id).slice(1);
  if (String(id).charAt(0) === "c") {
    var a = V.co[3 * i], b = V.co[3 * i + 1];
    return el("div", N.name[a] + " and " + N.name[b] + ": " + plural(V.co[3 * i + 2], "paper") + " in common");
  }
  return edgeTip(i);
}
function nodeTip(id) {
  var box = el("div");
  box.appendChild(el("strong", N.name[id]));
  var meta = kindOf(id) + (N.kind[id] === PAPER ? "" : " \u00b7 " + plural(N.papers[id], "paper"));
  if (aliases[id]) meta += " \u00b7 also " + aliases[id].join(", ");
  box.appendChild(el("div", meta, "kind"));
  return box;
}
function edgeTip(e) {
  var box = el("div"), claims = claimsOfEdge(e);
  box.appendChild(el("strong", short(N.name[E.s[e]], 60) + " \u2192 " + RELS[E.r[e]] + " \u2192 " + short(N.name[E.t[e]], 60)));
  if (claims.length) box.appendChild(claimTip(claims));
  return box;
}
function claimTip(ids) {
  var box = el("div");
  ids.slice(0, 2).forEach(function (c) {
    box.appendChild(el("blockquote", short(claimSentence(c), 220)));
    var src = C.p[c] >= 0 ? short(N.name[C.p[c]], 70) : "";
    var conf = C.conf[c] !== null ? " \u00b7 confidence " + C.conf[c] : "";
    box.appendChild(el("div", "\u2014 " + src + conf, "kind"));
  });
  if (ids.length > 2) box.appendChild(el("div", "\u2026 and " + (ids.length - 2) + " more; click the edge", "kind"));
  return box;
}

function edgesTo(ids) {  // the graph's edges between `ids` and drawn nodes, added to the DataSet
  var add = [], seen = {};
  ids.forEach(function (id) {
    for (var k = adjStart[id]; k < adjStart[id + 1]; k++) {
      var e = adjEdge[k];
      if (!seen[e] && drawn[E.s[e]] && drawn[E.t[e]]) { seen[e] = 1; add.push(visEdge(e)); }
    }
  });
  edges.update(add);
}
function addNodes(list) {  // [[id, x, y], ...] of nodes not drawn yet
  list = list.filter(function (a) { return !drawn[a[0]]; });
  list.forEach(function (a) { drawn[a[0]] = true; });
  nodes.add(list.map(function (a) { return visNode(a[0], a[1], a[2]); }));
  edgesTo(list.map(function (a) { return a[0]; }));
  labelOrder = null;
}
function showOverview() {
  nodes.clear(); edges.clear(); drawn = {};
  addNodes(V.nodes.map(function (id, i) { return [id, V.x[i], V.y[i]]; }));
  var co = [];
  for (var i = 0; i < V.co.length / 3; i++) co.push(coEdge(i));
  edges.add(co);
  state.ego = 0; state.egoRoot = -1; state.expanded = [];
}
function fitHome() {  // fit the overview to the canvas, and remember that view as "home"
  network.fit({ animation: false });
  home = { position: network.getViewPosition(), scale: network.getScale() };
}
function goHome() { network.moveTo({ position: home.position, scale: home.scale, animation: false }); }
