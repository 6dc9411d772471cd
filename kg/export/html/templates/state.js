// The view in the URL fragment (selected node, neighbourhood, filters, colouring), so that a link reopens it.
var restoring = false;
function writeHash() {
  if (restoring) return;
  var parts = [];
  if (state.selected >= 0) parts.push("n=" + encodeURIComponent(N.iri[state.selected]));
  if (state.ego) parts.push("ego=" + state.ego + "," + encodeURIComponent(N.iri[state.egoRoot]));
  if (state.expanded.length) parts.push("x=" + state.expanded.map(function (i) { return encodeURIComponent(N.iri[i]); }).join(","));
  var kinds = Object.keys(state.kindsOff).filter(function (k) { return state.kindsOff[k]; }).sort();
  if (kinds.length) parts.push("hide=" + kinds.join(","));
  var rels = Object.keys(state.relsOff).filter(function (k) { return state.relsOff[k]; }).sort();
  if (rels.length) parts.push("rels=" + rels.join(","));
  if (periodActive()) parts.push("period=" + state.from + "-" + state.to);
  if (state.byCluster) parts.push("color=cluster");
  var hash = parts.length ? "#" + parts.join("&") : "";
  if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname + location.search);
}
function readHash() {
  var q = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var i = kv.indexOf("=");
    if (i > 0) q[kv.slice(0, i)] = kv.slice(i + 1);
  });
  restoring = true;
  try {
    state.kindsOff = {}; state.relsOff = {};
    (q.hide || "").split(",").forEach(function (k) { if (KINDS.indexOf(k) >= 0) state.kindsOff[k] = true; });
    (q.rels || "").split(",").forEach(function (r) { if (RELS.indexOf(r) >= 0 || r === "shared") state.relsOff[r] = true; });
    var per = /^(\d+)-(\d+)$/.exec(q.period || "");
    if (q.ego) {
      var parts = q.ego.split(","), root = byIri(decodeURIComponent(parts.slice(1).join(",")));
      if (root >= 0) ego(root, +parts[0]); else showOverview();
    } else if (state.ego || state.expanded.length) showOverview();
    (q.x ? q.x.split(",") : []).forEach(function (s) {
      var id = byIri(decodeURIComponent(s));
      if (id >= 0) { if (!drawn[id]) reveal(id); else expand(id); }
    });
    setClusters(q.color === "cluster");
    if (per) setPeriod(+per[1], +per[2]); else setPeriod(0, P.periods.length - 1);
    var sel = q.n ? byIri(decodeURIComponent(q.n)) : -1;
    if (sel >= 0) choose(sel); else select(-1);
  } finally {
    restoring = false;
  }
  writeHash();
}
