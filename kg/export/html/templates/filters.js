// Filters: hide nodes by type and period and edges by relation; colour nodes by cluster, with its legend.
var periodOf = null;  // node id -> sorted distinct period indices of its papers (built on first use)
function periods(id) {
  if (!periodOf) periodOf = {};
  if (periodOf[id]) return periodOf[id];
  var out = [];
  if (N.kind[id] === PAPER) { if (P.period[paperRow[id]] >= 0) out.push(P.period[paperRow[id]]); }
  else for (var k = adjStart[id]; k < adjStart[id + 1]; k++) {
    var o = other(adjEdge[k], id);
    if (N.kind[o] === PAPER && P.period[paperRow[o]] >= 0) out.push(P.period[paperRow[o]]);
  }
  return (periodOf[id] = out);
}
function periodActive() { return P.periods.length > 1 && (state.from > 0 || state.to < P.periods.length - 1); }
function inPeriod(id) {
  if (!periodActive()) return true;
  return periods(id).some(function (p) { return p >= state.from && p <= state.to; });
}
function visible(id) { return !state.kindsOff[kindOf(id)] && inPeriod(id); }
function applyFilters() {  // only what changes is sent to vis-network
  nodes.update(nodes.get({ fields: ["id", "hidden"] }).filter(function (d) { return !!d.hidden === visible(d.id); })
    .map(function (d) { return { id: d.id, hidden: !visible(d.id) }; }));
  edges.update(edges.get({ fields: ["id", "rel", "hidden"] }).filter(function (e) { return !!e.hidden !== !!state.relsOff[e.rel]; })
    .map(function (e) { return { id: e.id, hidden: !!state.relsOff[e.rel] }; }));
  document.querySelectorAll("input[data-kind]").forEach(function (cb) { cb.checked = !state.kindsOff[cb.getAttribute("data-kind")]; });
  document.querySelectorAll("input[data-rel]").forEach(function (cb) { cb.checked = !state.relsOff[cb.getAttribute("data-rel")]; });
  var shown = nodes.get({ filter: function (d) { return !d.hidden; } }).length;
  document.getElementById("kg-shown").textContent = " \u00b7 " + shown + " of " + n + " nodes on screen";
  writeHash();
}
var fromIn = document.getElementById("kg-from"), toIn = document.getElementById("kg-to");
function setPeriod(from, to) {
  var last = Math.max(P.periods.length - 1, 0);
  from = Math.max(0, Math.min(last, from | 0));
  to = Math.max(from, Math.min(last, to | 0));
  state.from = from; state.to = to;
  if (fromIn) {
    fromIn.value = from; toIn.value = to;
    document.getElementById("kg-period").textContent = periodActive()
      ? P.periods[from] + (to > from ? " \u2013 " + P.periods[to] : "") : "all periods";
  }
  applyFilters();
}
var byCluster = document.getElementById("kg-by-cluster"), clusterLegend = document.getElementById("kg-clusters");
function setClusters(on) {
  recolour = state.byCluster !== (!!on && !!data.cluster);
  state.byCluster = !!on && !!data.cluster;
  if (byCluster) byCluster.checked = state.byCluster;
  if (clusterLegend) {
    clusterLegend.textContent = "";
    clusterLegend.hidden = !state.byCluster;
    if (state.byCluster) {
      data.cluster.top.forEach(function (c, i) {
        var item = el("span", null, "cl");
        var sw = el("span", null, "sw sw-dot");
        sw.style.background = CLUSTER_COLOURS[i];
        item.appendChild(sw);
        item.appendChild(document.createTextNode(short(c[1], 24)));
        clusterLegend.appendChild(item);
      });
      var rest = el("span", null, "cl"), sw = el("span", null, "sw sw-dot");
      sw.style.background = "#cfcfcf";
      rest.appendChild(sw);
      rest.appendChild(document.createTextNode("other clusters"));
      clusterLegend.appendChild(rest);
    }
  }
  highlight(state.selected);
  writeHash();
}
