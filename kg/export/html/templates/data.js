// Decodes the page's data block into columns (nodes, edges, claims, papers, the overview) and the indexes over them.
var timings = { start: performance.now() };  // kgMap.timings: where the load time goes (scripts/bench_html.py)
var data = JSON.parse(document.getElementById("kg-data").textContent);
timings.parsed = performance.now();
var N = data.node, E = data.edge, C = data.claim, P = data.paper, V = data.view;
var KINDS = data.kinds, RELS = data.rels, STYLE = data.style;
var n = N.name.length, PAPER = KINDS.indexOf("paper");
E.s = new Int32Array(E.t.length);  // sources from the out-degrees (edges are sorted by source)
for (var i0 = 0, at0 = 0; i0 < n; i0++) for (var d0 = 0; d0 < E.out[i0]; d0++) E.s[at0++] = i0;

var rank = new Int32Array(n);  // node id -> place in the order of importance
N.order.forEach(function (id, i) { rank[id] = i; });
var aliases = {};
N.alias.forEach(function (a) { aliases[a[0]] = a[1]; });
var paperRow = {};
P.node.forEach(function (id, i) { paperRow[id] = i; });
var iriIndex = null;  // built on first use (URL state)
function byIri(iri) {
  if (!iriIndex) { iriIndex = {}; N.iri.forEach(function (x, i) { iriIndex[x] = i; }); }
  return iriIndex.hasOwnProperty(iri) ? iriIndex[iri] : -1;
}
function kindOf(id) { return KINDS[N.kind[id]]; }

// Adjacency in CSR form: for node i, adjEdge[adjStart[i] .. adjStart[i + 1]) are its edges (both directions).
var m = E.s.length, adjStart = new Int32Array(n + 1), adjEdge = new Int32Array(2 * m);
(function () {
  var i, fill = new Int32Array(n);
  for (i = 0; i < m; i++) { adjStart[E.s[i] + 1]++; adjStart[E.t[i] + 1]++; }
  for (i = 0; i < n; i++) adjStart[i + 1] += adjStart[i];
  for (i = 0; i < m; i++) {
    adjEdge[adjStart[E.s[i]] + fill[E.s[i]]++] = i;
    adjEdge[adjStart[E.t[i]] + fill[E.t[i]]++] = i;
  }
})();
function other(e, id) { return E.s[e] === id ? E.t[e] : E.s[e]; }
function neighbourIds(id) {  // most important first
  var seen = {}, out = [];
  for (var k = adjStart[id]; k < adjStart[id + 1]; k++) {
    var o = other(adjEdge[k], id);
    if (o !== id && !seen[o]) { seen[o] = 1; out.push(o); }
  }
  return out.sort(function (a, b) { return rank[a] - rank[b]; });
}

var claimsOf = {}, claimsOfPaper = {}, claimsOfPair = {};  // claim rows by node, by paper, by "s t r"
C.s.forEach(function (s, i) {
  var t = C.t[i], key = s + " " + t + " " + C.r[i];
  (claimsOf[s] = claimsOf[s] || []).push(i);
  if (t !== s) (claimsOf[t] = claimsOf[t] || []).push(i);
  if (C.p[i] >= 0) (claimsOfPaper[C.p[i]] = claimsOfPaper[C.p[i]] || []).push(i);
  (claimsOfPair[key] = claimsOfPair[key] || []).push(i);
});
function claimsOfEdge(e) { return claimsOfPair[E.s[e] + " " + E.t[e] + " " + E.r[e]] || []; }
function claimSentence(c) { return C.text[c] >= 0 ? C.texts[C.text[c]] : ""; }

timings.indexed = performance.now();
