// Side panels: the overview, a node (paper or entity) with its evidence, an edge with every claim behind it.
var panel = document.getElementById("kg-panel");
function nodeLink(id, text) {
  var a = el("a", text === undefined ? N.name[id] : text, "node");
  a.href = "#";
  a.addEventListener("click", function (ev) { ev.preventDefault(); choose(id); });
  return a;
}
function section(title, items, more) {
  var frag = document.createDocumentFragment();
  if (!items.length) return frag;
  frag.appendChild(el("h3", title));
  var ul = el("ul");
  items.forEach(function (li) { ul.appendChild(li); });
  if (more > 0) ul.appendChild(el("li", "\u2026 and " + more + " more", "more"));
  frag.appendChild(ul);
  return frag;
}
function claimItem(c, opts) {
  opts = opts || {};
  var li = el("li", null, "claim");
  if (!opts.noEnds) {
    var head = el("div");
    head.appendChild(nodeLink(C.s[c]));
    head.appendChild(el("em", " " + RELS[C.r[c]] + " "));
    head.appendChild(nodeLink(C.t[c]));
    li.appendChild(head);
  }
  var facts = [];
  if (C.value && C.value[c] !== null) facts.push((C.metric && C.metric[c] >= 0 ? N.name[C.metric[c]] + " " : "") + C.value[c]);
  if (C.source && C.source[c]) facts.push("source: " + C.source[c]);
  if (facts.length) li.appendChild(el("div", facts.join(" \u00b7 "), "value"));
  if (claimSentence(c)) li.appendChild(el("blockquote", claimSentence(c)));
  var src = el("div", null, "meta");
  if (C.p[c] >= 0 && !opts.noPaper) {
    src.appendChild(document.createTextNode("\u2014 "));
    src.appendChild(nodeLink(C.p[c], short(N.name[C.p[c]], 90)));
    var url = P.url[paperRow[C.p[c]]];
    if (url) { src.appendChild(document.createTextNode(" ")); src.appendChild(link(url, "\u2197")); }
  }
  if (C.conf[c] !== null) src.appendChild(document.createTextNode((src.childNodes.length ? " \u00b7 " : "") + "confidence " + C.conf[c]));
  li.appendChild(src);
  return li;
}
function panelStart(title, meta) {
  panel.textContent = "";
  if (state.selected >= 0 || state.ego) panel.appendChild(button("\u00d7", function () { select(-1); }, "close"));
  panel.appendChild(el("h2", title));
  if (meta) panel.appendChild(el("p", meta, "meta"));
}
function showOverviewPanel() {
  panelStart("Overview");
  var s = data.stats;
  panel.appendChild(el("p", "The map opens on the " + s.nodes_drawn + " most central of " + s.nodes_total +
    " nodes, entities first; dashed grey lines join entities that share papers. Click a node to light up " +
    "its neighbours and read its evidence; search finds every node, drawn or not.", "meta"));
  KINDS.forEach(function (k, ki) {
    if (ki === PAPER) return;
    var top = V.nodes.filter(function (id) { return N.kind[id] === ki; }).slice(0, 8);
    panel.appendChild(section("Top " + k + "s", top.map(function (id) {
      var li = el("li");
      li.appendChild(nodeLink(id));
      li.appendChild(el("span", " " + plural(N.papers[id], "paper"), "more"));
      return li;
    })));
  });
}
function showNodePanel(id) {
  var kind = kindOf(id), hidden = hiddenNeighbours(id).length;
  panelStart(N.name[id], kind + (N.kind[id] === PAPER ? "" : " \u00b7 " + plural(N.papers[id], "paper")));
  if (aliases[id]) panel.appendChild(el("p", "also: " + aliases[id].join("; "), "meta"));
  var tools = el("div", null, "tools");
  if (hidden && drawn[id]) tools.appendChild(button("expand (" + Math.min(hidden, EXPAND_STEP) + " of " + hidden + " hidden)",
                                                    function () { expand(id); }, "kg-expand"));
  tools.appendChild(el("span", "only this neighbourhood:", "more"));
  tools.appendChild(button("depth 1", function () { ego(id, 1); }, "kg-ego1"));
  tools.appendChild(button("depth 2", function () { ego(id, 2); }, "kg-ego2"));
  if (state.ego) tools.appendChild(button("back to the overview", overview, "kg-home"));
  panel.appendChild(tools);
  if (N.kind[id] === PAPER) paperBody(id); else entityBody(id);
}
function paperBody(id) {
  var row = paperRow[id];
  if (P.authors[row].length) panel.appendChild(el("p", P.authors[row].join(", "), "meta authors"));
  if (P.date[row]) panel.appendChild(el("p", "date: " + P.date[row], "meta date"));
  if (P.url[row]) { var p = el("p", null, "meta"); p.appendChild(link(P.url[row], P.url[row])); panel.appendChild(p); }
  if (P.abstract[row]) {
    var det = el("details", null, "abstract");
    det.appendChild(el("summary", "abstract"));
    det.appendChild(el("p", P.abstract[row]));
    panel.appendChild(det);
  }
  var groups = {};
  for (var k = adjStart[id]; k < adjStart[id + 1]; k++) {
    var e = adjEdge[k];
    if (E.s[e] !== id) continue;
    var t = E.t[e], g = (groups[N.kind[t]] = groups[N.kind[t]] || {});
    g[t] = (g[t] || []).concat([RELS[E.r[e]]]);
  }
  KINDS.forEach(function (kname, ki) {
    if (!groups[ki]) return;
    var ids = Object.keys(groups[ki]).map(Number).sort(function (a, b) { return rank[a] - rank[b]; });
    panel.appendChild(section(kname + "s", ids.map(function (t) {
      var li = el("li");
      li.appendChild(nodeLink(t));
      if (groups[ki][t].indexOf("proposes") >= 0) li.appendChild(el("span", " (proposed here)", "more"));
      return li;
    })));
  });
  var cl = claimsOfPaper[id] || [];
  panel.appendChild(section("Claims in this paper", cl.map(function (c) { return claimItem(c, { noPaper: true }); })));
}
function entityBody(id) {
  var iri = N.iri[id];
  if (/^https?:\/\//i.test(iri)) { var p = el("p", null, "meta"); p.appendChild(link(iri, iri)); panel.appendChild(p); }
  var cl = (claimsOf[id] || []).slice().sort(function (a, b) { return C.r[a] - C.r[b] || rank[C.s[a]] - rank[C.s[b]]; });
  if (kindOf(id) === "dataset") {
    var on = cl.filter(function (c) { return C.t[c] === id && RELS[C.r[c]] === "evaluatesOn"; });
    panel.appendChild(section("Methods evaluated on it", on.map(function (c) { return claimItem(c); })));
    cl = cl.filter(function (c) { return on.indexOf(c) < 0; });
  }
  panel.appendChild(section("Claims", cl.slice(0, 60).map(function (c) { return claimItem(c); }), cl.length - 60));
  var nb = neighbourIds(id), groups = {};
  nb.forEach(function (o) { (groups[N.kind[o]] = groups[N.kind[o]] || []).push(o); });
  KINDS.forEach(function (kname, ki) {
    if (!groups[ki] || ki === PAPER) return;
    panel.appendChild(section("Linked " + kname + "s", groups[ki].slice(0, 30).map(function (o) {
      var li = el("li"); li.appendChild(nodeLink(o)); return li;
    }), groups[ki].length - 30));
  });
  var papers = groups[PAPER] || [];
  panel.appendChild(section("Papers", papers.slice(0, 40).map(function (o) {
    var li = el("li"), row = paperRow[o];
    li.appendChild(nodeLink(o));
    if (P.date[row]) li.appendChild(el("span", " \u00b7 " + P.date[row], "more"));
    if (P.url[row]) { li.appendChild(document.createTextNode(" ")); li.appendChild(link(P.url[row], "\u2197")); }
    return li;
  }), papers.length - 40));
}
function showEdgePanel(edgeId) {
  var d = edges.get(edgeId);
  if (!d) return;
  if (d.rel === "shared") {
    panelStart(N.name[d.from] + " \u00b7 " + N.name[d.to], plural(d.shared, "paper") + " mention both");
    var a = {}, both = [];
    neighbourIds(d.from).forEach(function (o) { if (N.kind[o] === PAPER) a[o] = 1; });
    neighbourIds(d.to).forEach(function (o) { if (a[o]) both.push(o); });
    panel.appendChild(section("Papers", both.slice(0, 40).map(function (o) { var li = el("li"); li.appendChild(nodeLink(o)); return li; }),
                              both.length - 40));
    return;
  }
  var e = +String(edgeId).slice(1), claims = claimsOfEdge(e);
  panelStart(N.name[E.s[e]] + " \u2192 " + RELS[E.r[e]] + " \u2192 " + N.name[E.t[e]],
             claims.length ? plural(claims.length, "claim") : "");
  var ends = el("p", null, "meta");
  ends.appendChild(nodeLink(E.s[e]));
  ends.appendChild(el("em", " " + RELS[E.r[e]] + " "));
  ends.appendChild(nodeLink(E.t[e]));
  panel.appendChild(ends);
  panel.appendChild(section("Evidence", claims.map(function (c) { return claimItem(c, { noEnds: true }); })));
}

