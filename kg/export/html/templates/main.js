// Wiring: draws the overview, hooks every control to its action, exposes window.kgMap and restores the view from the URL.
showOverview();  // into the DataSets before vis-network sees them: it then builds and draws them once, not thrice
timings.overview = performance.now();
openNetwork();
timings.network = performance.now();
fitHome();
timings.fitted = performance.now();

network.on("beforeDrawing", whiteGround);
network.on("afterDrawing", drawLabels);
network.on("hoverNode", function (params) { showTip(params.node); });  // before vis-network sizes the tooltip
network.on("hoverEdge", function (params) { showTip(params.edge); });
network.on("showPopup", showTip);  // in case the tooltip is for another item than the one hovered
network.on("click", function (params) {
  if (params.nodes.length) select(+params.nodes[0]);
  else if (params.edges.length) { showEdgePanel(params.edges[0]); }
  else select(-1);
});

// The search box: up to 12 results as buttons; Enter chooses the first, Escape clears.
var input = document.getElementById("kg-search"), results = document.getElementById("kg-results");
var message = document.getElementById("kg-search-msg");
function listResults() {
  var ids = search(input.value);
  results.textContent = "";
  message.textContent = input.value.trim() ? (ids.length ? "" : "no node matches") : "";
  ids.slice(0, 12).forEach(function (id) {
    var li = el("li"), b = button(short(N.name[id], 70), function () { results.textContent = ""; choose(id); });
    b.appendChild(el("span", " " + kindOf(id) + (N.kind[id] === PAPER ? "" : ", " + plural(N.papers[id], "paper")) +
                             (drawn[id] ? "" : ", not drawn yet"), "more"));
    li.appendChild(b);
    results.appendChild(li);
  });
  return ids;
}
input.addEventListener("input", listResults);
input.addEventListener("keydown", function (ev) {
  if (ev.key === "Enter") {
    var ids = listResults();
    results.textContent = "";
    if (ids.length) choose(ids[0]);
  } else if (ev.key === "Escape") {
    input.value = "";
    listResults();
  }
});

document.querySelectorAll("input[data-kind]").forEach(function (cb) {
  cb.addEventListener("change", function () { state.kindsOff[cb.getAttribute("data-kind")] = !cb.checked; applyFilters(); });
});
document.querySelectorAll("input[data-rel]").forEach(function (cb) {
  cb.addEventListener("change", function () { state.relsOff[cb.getAttribute("data-rel")] = !cb.checked; applyFilters(); });
});
if (fromIn) {
  fromIn.max = toIn.max = P.periods.length - 1;
  fromIn.addEventListener("input", function () { setPeriod(+fromIn.value, Math.max(+fromIn.value, +toIn.value)); });
  toIn.addEventListener("input", function () { setPeriod(Math.min(+fromIn.value, +toIn.value), +toIn.value); });
}
if (byCluster) byCluster.addEventListener("change", function () { setClusters(byCluster.checked); });
window.addEventListener("hashchange", readHash);
document.getElementById("kg-png").addEventListener("click", exportPng);
document.getElementById("kg-csv").addEventListener("click", function () { exportSelection("csv"); });
document.getElementById("kg-json").addEventListener("click", function () { exportSelection("json"); });
document.getElementById("kg-overview").addEventListener("click", overview);

// For tests, benchmarks and the curious: the DataSets, the network and the actions.
window.kgMap = {
  network: network, nodes: nodes, edges: edges, data: data, stats: data.stats,
  search: search, choose: choose, select: select, expand: expand, ego: ego, overview: overview,
  setPeriod: setPeriod, setClusters: setClusters, exportPng: exportPng, exportSelection: exportSelection,
  showEdge: showEdgePanel, tip: tip,
  idOf: byIri, isDrawn: function (id) { return !!drawn[id]; }, neighbours: neighbourIds,
  state: function () { return JSON.parse(JSON.stringify(state)); }, labels: function () { return lastLabels; },
  get lastExport() { return lastExport; }, timings: timings,
};
if (location.hash.length > 1) readHash(); else { setPeriod(0, P.periods.length - 1); select(-1, { quiet: true }); }
network.once("afterDrawing", function () {
  timings.drawn = performance.now();
  document.body.setAttribute("data-ready", "1");
  setTimeout(indexInSlices, 0);  // after the first drawing: the page is up, and the first search is quick
});
network.redraw();
timings.end = performance.now();
