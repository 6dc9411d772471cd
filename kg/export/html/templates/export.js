// Export: the view as drawn as a PNG, the selection (a node and its neighbours, or every drawn node) as CSV or JSON.
var lastExport = null;  // {name, url} of the last download (kgMap.lastExport)
function download(name, url) {
  var a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  lastExport = { name: name, url: url };
  return url;
}
function exportPng() {
  network.redraw();
  return download("paperkg-map.png", container.querySelector("canvas").toDataURL("image/png"));
}
function selection() {
  var ids = state.selected >= 0 ? [state.selected].concat(neighbourIds(state.selected)) : nodes.getIds().map(Number);
  var inSet = {};
  ids.forEach(function (i) { inSet[i] = 1; });
  var out = { nodes: [], edges: [], claims: [] };
  ids.forEach(function (i) { out.nodes.push({ iri: N.iri[i], name: N.name[i], kind: kindOf(i), papers: N.papers[i] }); });
  var seen = {};
  ids.forEach(function (i) {
    for (var k = adjStart[i]; k < adjStart[i + 1]; k++) {
      var e = adjEdge[k];
      if (seen[e] || !inSet[E.s[e]] || !inSet[E.t[e]]) continue;
      if (state.selected >= 0 && E.s[e] !== state.selected && E.t[e] !== state.selected) continue;
      seen[e] = 1;
      out.edges.push({ source: N.iri[E.s[e]], relation: RELS[E.r[e]], target: N.iri[E.t[e]] });
      claimsOfEdge(e).forEach(function (c) {
        out.claims.push({ subject: N.iri[C.s[c]], relation: RELS[C.r[c]], object: N.iri[C.t[c]],
                          paper: C.p[c] >= 0 ? N.iri[C.p[c]] : null, confidence: C.conf[c], sentence: claimSentence(c),
                          value: C.value ? C.value[c] : null });
      });
    }
  });
  return out;
}
function csvCell(v) {
  v = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(v) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) v = "'" + v;
  return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}
function exportSelection(format) {
  var sel = selection();
  if (format === "json") return download("paperkg-selection.json", "data:application/json;charset=utf-8," +
                                         encodeURIComponent(JSON.stringify(sel, null, 1)));
  var rows = [["iri", "name", "kind", "papers"]].concat(sel.nodes.map(function (d) { return [d.iri, d.name, d.kind, d.papers]; }));
  var text = rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  return download("paperkg-selection.csv", "data:text/csv;charset=utf-8," + encodeURIComponent(text));
}
