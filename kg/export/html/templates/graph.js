// paperkg map: reads the inert JSON block (every node, edge and claim in columns), draws an overview
// with vis-network, and lets a reader search any node, open neighbourhoods, read the evidence of each
// claim, filter by type, relation and period, share the view as a link and export it.
// Paper text reaches the page only through textContent (never innerHTML) and canvas fillText, and
// links only from http(s) URLs, so a title that looks like an img tag with an onerror handler is shown, not run.
(function () {
  "use strict";
  var timings = { start: performance.now() };  // kgMap.timings: where the load time goes (scripts/bench_html.py)
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  timings.parsed = performance.now();
  var N = data.node, E = data.edge, C = data.claim, P = data.paper, V = data.view;
  var KINDS = data.kinds, RELS = data.rels, STYLE = data.style;
  var n = N.name.length, PAPER = KINDS.indexOf("paper");
  E.s = new Int32Array(E.t.length);  // sources from the out-degrees (edges are sorted by source)
  for (var i0 = 0, at0 = 0; i0 < n; i0++) for (var d0 = 0; d0 < E.out[i0]; d0++) E.s[at0++] = i0;
  var EXPAND_STEP = 40, EGO_MAX = 300, LABEL_MAX = 300, LABEL_CHARS = 34;
  var CLUSTER_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                         "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

  // ---- indexes over the columns -------------------------------------------------------------
  var rank = new Int32Array(n);
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
  function neighbourIds(id) {
    var seen = {}, out = [];
    for (var k = adjStart[id]; k < adjStart[id + 1]; k++) {
      var o = other(adjEdge[k], id);
      if (o !== id && !seen[o]) { seen[o] = 1; out.push(o); }
    }
    return out.sort(function (a, b) { return rank[a] - rank[b]; });
  }
  var claimsOf = {}, claimsOfPaper = {}, claimsOfPair = {};
  C.s.forEach(function (s, i) {
    var t = C.t[i], key = s + " " + t + " " + C.r[i];
    (claimsOf[s] = claimsOf[s] || []).push(i);
    if (t !== s) (claimsOf[t] = claimsOf[t] || []).push(i);
    if (C.p[i] >= 0) (claimsOfPaper[C.p[i]] = claimsOfPaper[C.p[i]] || []).push(i);
    (claimsOfPair[key] = claimsOfPair[key] || []).push(i);
  });

  timings.indexed = performance.now();

  // ---- small DOM helpers (text only) ----------------------------------------------------------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function link(url, text) {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return el("span", text);
    var a = el("a", text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function button(text, onClick, cls) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function short(text, max) {
    text = String(text);
    return text.length <= max ? text : text.slice(0, max - 1).replace(/\s+$/, "") + "\u2026";
  }
  function kindOf(id) { return KINDS[N.kind[id]]; }
  function plural(k, word) { return k + " " + word + (k === 1 ? "" : "s"); }

  // ---- the network ---------------------------------------------------------------------------
  var drawn = {};  // node id -> true while it is in the DataSet
  var state = { selected: -1, ego: 0, egoRoot: -1, expanded: [], kindsOff: {}, relsOff: {}, from: 0,
                to: Math.max(P.periods.length - 1, 0), byCluster: false };
  var clusterColour = {};
  if (data.cluster) data.cluster.top.forEach(function (c, i) { clusterColour[c[0]] = CLUSTER_COLOURS[i]; });

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
  function nodeTip(id) {
    var tip = el("div");
    tip.appendChild(el("strong", N.name[id]));
    var meta = kindOf(id) + (N.kind[id] === PAPER ? "" : " \u00b7 " + plural(N.papers[id], "paper"));
    if (aliases[id]) meta += " \u00b7 also " + aliases[id].join(", ");
    tip.appendChild(el("div", meta, "kind"));
    return tip;
  }
  function visNode(id, x, y) {
    return { id: id, x: x, y: y, shape: STYLE.kind[N.kind[id]][0], size: nodeSize(id), color: baseColour(id),
             title: nodeTip(id) };
  }
  function claimTip(ids) {
    var tip = el("div");
    ids.slice(0, 2).forEach(function (c) {
      var q = el("blockquote", short(claimSentence(c), 220));
      tip.appendChild(q);
      var src = C.p[c] >= 0 ? short(N.name[C.p[c]], 70) : "";
      var conf = C.conf[c] !== null ? " \u00b7 confidence " + C.conf[c] : "";
      tip.appendChild(el("div", "\u2014 " + src + conf, "kind"));
    });
    if (ids.length > 2) tip.appendChild(el("div", "\u2026 and " + (ids.length - 2) + " more; click the edge", "kind"));
    return tip;
  }
  function edgeColour(c, opacity) {  // the relation's colour also when selected or hovered
    return { color: c, highlight: c, hover: c, opacity: opacity, inherit: false };
  }
  function visEdge(e) {
    var r = E.r[e], rel = RELS[r], claims = claimsOfPair[E.s[e] + " " + E.t[e] + " " + r] || [];
    var tip = el("div");
    tip.appendChild(el("strong", short(N.name[E.s[e]], 60) + " \u2192 " + rel + " \u2192 " + short(N.name[E.t[e]], 60)));
    if (claims.length) tip.appendChild(claimTip(claims));
    var edge = { id: "e" + e, from: E.s[e], to: E.t[e], rel: rel, color: edgeColour(STYLE.rel[r], 1),
                 width: claims.length ? 1 + Math.min(claims.length, 4) : (rel === "mentions" ? 0.6 : 1.2),
                 title: tip, arrows: { to: { enabled: true, scaleFactor: 0.45 } } };
    if (claims.length) edge.smooth = { enabled: true, type: "curvedCW", roundness: 0.15 };
    return edge;
  }
  function coEdge(i) {
    var a = V.co[3 * i], b = V.co[3 * i + 1], k = V.co[3 * i + 2];
    return { id: "c" + i, from: a, to: b, rel: "shared", color: edgeColour(STYLE.co, 1), dashes: [4, 4],
             width: Math.min(4, 0.5 + Math.log(1 + k)), shared: k,
             title: el("div", N.name[a] + " and " + N.name[b] + ": " + plural(k, "paper") + " in common") };
  }

  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: false, layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, multiselect: false },
    nodes: { borderWidth: 1, font: { size: 0 } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1 },
  });

  // Edges of the graph between `id` and drawn nodes, added to the DataSet.
  function edgesTo(ids) {
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
  timings.network = performance.now();
  showOverview();
  timings.overview = performance.now();
  network.fit({ animation: false });
  var home = { position: network.getViewPosition(), scale: network.getScale() };
  timings.fitted = performance.now();
  function goHome() { network.moveTo({ position: home.position, scale: home.scale, animation: false }); }

  // ---- labels: drawn by us, most important first, never on top of each other -----------------
  var labelOrder = null, textWidth = {}, lastLabels = [];
  function labelPriority(id) {
    if (id === state.selected) return -2e9;
    if (highlighted && highlighted[id]) return -1e9 + rank[id];
    return rank[id];
  }
  network.on("beforeDrawing", function (ctx) {  // a white ground, so the exported PNG is not transparent
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale(), body = network.body.nodes;
    if (!labelOrder) {
      labelOrder = nodes.getIds();
      labelOrder.sort(function (a, b) { return labelPriority(a) - labelPriority(b); });
    }
    var tl = network.DOMtoCanvas({ x: 0, y: 0 }), br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    var cell = 80 / scale, grid = {}, boxes = [];
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    for (var i = 0; i < labelOrder.length && boxes.length < LABEL_MAX; i++) {
      var id = labelOrder[i], node = body[id];
      if (!node || node.options.hidden) continue;
      if (highlighted && !highlighted[id]) continue;
      var x = node.x, y = node.y;
      if (x < tl.x || x > br.x || y < tl.y || y > br.y) continue;
      var px = id === state.selected ? 14 : (rank[id] < 30 ? 13 : 11.5), text = short(N.name[id], LABEL_CHARS);
      if (textWidth[id] === undefined) {
        ctx.font = "100px system-ui, sans-serif";
        textWidth[id] = ctx.measureText(text).width / 100;
      }
      var w = (textWidth[id] * px + 4) / scale, h = px * 1.25 / scale;
      var box = [x - w / 2, y + node.options.size + 2 / scale, x + w / 2, 0];
      box[3] = box[1] + h;
      if (collides(grid, cell, box)) continue;
      place(grid, cell, box);
      boxes.push(box);
      ctx.font = px / scale + "px system-ui, sans-serif";
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(text, x, box[1]);
      ctx.fillStyle = "#222222";
      ctx.fillText(text, x, box[1]);
    }
    lastLabels = boxes.map(function (b) { return b.slice(); });
    lastLabels.scale = scale;
  });
  function cellsOf(cell, b) {
    var out = [];
    for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++)
      for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) out.push(gx + "," + gy);
    return out;
  }
  function collides(grid, cell, b) {
    return cellsOf(cell, b).some(function (k) {
      return (grid[k] || []).some(function (o) { return b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]; });
    });
  }
  function place(grid, cell, b) { cellsOf(cell, b).forEach(function (k) { (grid[k] = grid[k] || []).push(b); }); }

  // ---- highlight a node's neighbourhood, without moving the view ------------------------------
  var highlighted = null, recolour = false;
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

  // ---- filters: type, relation, period -------------------------------------------------------
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
  document.querySelectorAll("input[data-kind]").forEach(function (cb) {
    cb.addEventListener("change", function () { state.kindsOff[cb.getAttribute("data-kind")] = !cb.checked; applyFilters(); });
  });
  document.querySelectorAll("input[data-rel]").forEach(function (cb) {
    cb.addEventListener("change", function () { state.relsOff[cb.getAttribute("data-rel")] = !cb.checked; applyFilters(); });
  });
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
  if (fromIn) {
    fromIn.max = toIn.max = P.periods.length - 1;
    fromIn.addEventListener("input", function () { setPeriod(+fromIn.value, Math.max(+fromIn.value, +toIn.value)); });
    toIn.addEventListener("input", function () { setPeriod(Math.min(+fromIn.value, +toIn.value), +toIn.value); });
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
  if (byCluster) byCluster.addEventListener("change", function () { setClusters(byCluster.checked); });

  // ---- expand, reveal, ego view ---------------------------------------------------------------
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
  function overview() {
    showOverview();
    applyFilters();
    select(-1);
    goHome();
  }

  // ---- claims and panels ----------------------------------------------------------------------
  var panel = document.getElementById("kg-panel");
  function claimSentence(c) { return C.text[c] >= 0 ? C.texts[C.text[c]] : ""; }
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
    var e = +String(edgeId).slice(1), claims = claimsOfPair[E.s[e] + " " + E.t[e] + " " + E.r[e]] || [];
    panelStart(N.name[E.s[e]] + " \u2192 " + RELS[E.r[e]] + " \u2192 " + N.name[E.t[e]],
               claims.length ? plural(claims.length, "claim") : "");
    var ends = el("p", null, "meta");
    ends.appendChild(nodeLink(E.s[e]));
    ends.appendChild(el("em", " " + RELS[E.r[e]] + " "));
    ends.appendChild(nodeLink(E.t[e]));
    panel.appendChild(ends);
    panel.appendChild(section("Evidence", claims.map(function (c) { return claimItem(c, { noEnds: true }); })));
  }

  // ---- selection --------------------------------------------------------------------------------
  function select(id, opts) {
    opts = opts || {};
    state.selected = id;
    if (id >= 0 && drawn[id]) network.selectNodes([id]); else network.unselectAll();
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
  network.on("click", function (params) {
    if (params.nodes.length) select(+params.nodes[0]);
    else if (params.edges.length) { showEdgePanel(params.edges[0]); }
    else select(-1);
  });

  // ---- search over every node: names and aliases, exact > prefix > word > substring > typo ---------
  // The index (lower-cased names, a trigram -> entries map, entity names by length) is built once,
  // right after the first drawing, so that typing stays fast on a map of 20,000 nodes.
  var entryId = [], entryText = [], gramPost = null, byLength = [];
  function norm(s) { return String(s).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim(); }
  function trigrams(s) {
    var out = {}, words = s.split(/[^a-z0-9]+/);
    words.forEach(function (w) {
      if (!w) return;
      w = " " + w + " ";
      for (var i = 0; i + 3 <= w.length; i++) out[w.substr(i, 3)] = 1;
    });
    return Object.keys(out);
  }
  var indexed = 0;  // nodes indexed so far
  function indexUpTo(stop) {
    if (!gramPost) gramPost = new Map();
    for (var id = indexed; id < stop; id++) {
      var names = aliases[id] ? [N.name[id]].concat(aliases[id]) : [N.name[id]];
      for (var k = 0; k < names.length; k++) {
        var e = entryId.length, text = norm(names[k]), grams = trigrams(text);
        entryId.push(id);
        entryText.push(text);
        for (var j = 0; j < grams.length; j++) {
          var list = gramPost.get(grams[j]);
          if (list) list.push(e); else gramPost.set(grams[j], [e]);
        }
        if (N.kind[id] !== PAPER && text.length < 40) (byLength[text.length] = byLength[text.length] || []).push(e);
      }
    }
    indexed = Math.max(indexed, stop);
  }
  function buildIndex() { indexUpTo(n); }
  function indexInSlices() {  // a slice per task, so that the page answers clicks while it builds
    indexUpTo(Math.min(n, indexed + 2000));
    if (indexed < n) setTimeout(indexInSlices, 0);
  }
  function editDistance(a, b, max) {  // Damerau-Levenshtein (adjacent swaps), stops past `max`
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        best = Math.min(best, v);
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }
  function search(query, limit) {
    var q = norm(query), best = {}, e, id;
    limit = limit || 50;
    if (!q) return [];
    buildIndex();
    function hit(id, cls, score) {
      var b = best[id];
      if (!b || cls < b[0] || (cls === b[0] && score > b[1])) best[id] = [cls, score];
    }
    for (e = 0; e < entryText.length; e++) {
      var s = entryText[e], at = s.indexOf(q);
      if (at >= 0) hit(entryId[e], s === q ? 0 : at === 0 ? 1 : /[^a-z0-9]/.test(s[at - 1]) ? 2 : 3, 0);
    }
    if (Object.keys(best).length < limit && q.length >= 3) {
      // Typos: most of the query's trigrams in a name, or an entity name (or its start) a few edits away.
      var qg = trigrams(q), counts = new Map();
      qg.forEach(function (g) {
        (gramPost.get(g) || []).forEach(function (e) { counts.set(e, (counts.get(e) || 0) + 1); });
      });
      counts.forEach(function (shared, e) {
        var score = shared / qg.length - 0.002 * Math.abs(entryText[e].length - q.length);
        if (shared >= 2 && score >= 0.5) hit(entryId[e], 4, score);
      });
      var maxEdit = q.length <= 4 ? 1 : 2;
      for (var len = Math.max(1, q.length - maxEdit); len < byLength.length; len++) {
        (byLength[len] || []).forEach(function (e) {
          var t = entryText[e], d = editDistance(q, t, maxEdit), allowed = Math.max(1, Math.floor(t.length / 3));
          if (d <= Math.min(maxEdit, allowed)) hit(entryId[e], 4, 1 - 0.15 * d);
          else if (t.length > q.length + 1) {  // a typo in the start of a longer name: "rangr" -> "ranger21"
            var p = editDistance(q, t.slice(0, q.length), maxEdit);
            if (p <= Math.min(maxEdit, Math.floor(q.length / 4))) hit(entryId[e], 4, 0.8 - 0.15 * p);
          }
        });
      }
    }
    var ids = Object.keys(best).map(Number);
    ids.sort(function (a, b) { return best[a][0] - best[b][0] || best[b][1] - best[a][1] || rank[a] - rank[b]; });
    return ids.slice(0, limit);
  }
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

  // ---- the view in the URL fragment -----------------------------------------------------------
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
  window.addEventListener("hashchange", readHash);

  // ---- export: the view as PNG, the selection as CSV or JSON ------------------------------------
  function download(name, url) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    api.lastExport = { name: name, url: url };
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
        (claimsOfPair[E.s[e] + " " + E.t[e] + " " + E.r[e]] || []).forEach(function (c) {
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
  document.getElementById("kg-png").addEventListener("click", exportPng);
  document.getElementById("kg-csv").addEventListener("click", function () { exportSelection("csv"); });
  document.getElementById("kg-json").addEventListener("click", function () { exportSelection("json"); });
  document.getElementById("kg-overview").addEventListener("click", overview);

  // For tests, benchmarks and the curious: the DataSets, the network and the actions.
  var api = window.kgMap = {
    network: network, nodes: nodes, edges: edges, data: data, stats: data.stats,
    search: search, choose: choose, select: select, expand: expand, ego: ego, overview: overview,
    setPeriod: setPeriod, setClusters: setClusters, exportPng: exportPng, exportSelection: exportSelection,
    showEdge: showEdgePanel,
    idOf: byIri, isDrawn: function (id) { return !!drawn[id]; }, neighbours: neighbourIds,
    state: function () { return JSON.parse(JSON.stringify(state)); }, labels: function () { return lastLabels; },
    lastExport: null, timings: timings,
  };
  if (location.hash.length > 1) readHash(); else { setPeriod(0, P.periods.length - 1); select(-1, { quiet: true }); }
  network.once("afterDrawing", function () {
    timings.drawn = performance.now();
    document.body.setAttribute("data-ready", "1");
    setTimeout(indexInSlices, 0);  // after the first drawing: the page is up, and the first search is quick
  });
  network.redraw();
  timings.end = performance.now();
})();
