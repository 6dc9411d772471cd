// paperkg map: reads the inert JSON block, draws it with vis-network, and wires search, filters and
// the side panel. Paper text reaches the page only through textContent (never innerHTML), and links
// only from http(s) URLs, so a title that looks like an img tag with an onerror handler is shown, not run.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var info = {};
  data.info.forEach(function (d) { info[d.id] = d; });
  var CLUSTER_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                         "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

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

  // Tooltips are DOM elements built from text, which vis-network appends as they are.
  data.nodes.forEach(function (n) {
    var d = info[n.id], tip = el("div");
    tip.appendChild(el("strong", d.label));
    tip.appendChild(el("div", d.kind + (d.aliases.length ? " \u00b7 also " + d.aliases.join(", ") : ""), "kind"));
    n.title = tip;
    n.kindColor = n.color;
    n.clusterColor = d.cluster === undefined ? "#bbbbbb" : CLUSTER_COLOURS[d.cluster % CLUSTER_COLOURS.length];
  });
  data.edges.forEach(function (e) {
    e.title = el("div", info[e.from].label + " \u2192 " + e.rel + " \u2192 " + info[e.to].label);
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  network.once("afterDrawing", function () { document.body.setAttribute("data-ready", "1"); });
  network.fit({ animation: false });

  // Filters: hide nodes by type and edges by relation (the data stays; only "hidden" changes).
  function checked(attr) {
    var on = {};
    document.querySelectorAll("input[" + attr + "]").forEach(function (cb) {
      on[cb.getAttribute(attr)] = cb.checked;
    });
    return on;
  }
  function applyFilters() {
    var kinds = checked("data-kind"), rels = checked("data-rel");
    nodes.update(data.nodes.map(function (n) { return { id: n.id, hidden: kinds[info[n.id].kind] === false }; }));
    edges.update(data.edges.map(function (e) { return { id: e.id, hidden: rels[e.rel] === false }; }));
  }
  document.querySelectorAll("input[data-kind], input[data-rel]").forEach(function (cb) {
    cb.addEventListener("change", applyFilters);
  });
  var byCluster = document.getElementById("kg-by-cluster");
  if (byCluster) {
    byCluster.addEventListener("change", function () {
      nodes.update(data.nodes.map(function (n) {
        return { id: n.id, color: byCluster.checked ? n.clusterColor : n.kindColor };
      }));
    });
  }

  // Side panel.
  var panel = document.getElementById("kg-panel");
  function nodeButton(id, text) {
    if (!id || !info[id]) return el("span", text);
    // A same-page link rather than a button: it wraps like text and keeps the list bullets in place.
    var a = el("a", text, "node");
    a.href = "#";
    a.addEventListener("click", function (ev) { ev.preventDefault(); focusNode(id); });
    return a;
  }
  function section(title, items, more) {
    var frag = document.createDocumentFragment();
    if (!items.length) return frag;
    frag.appendChild(el("h3", title));
    var ul = el("ul");
    items.forEach(function (li) { ul.appendChild(li); });
    if (more) ul.appendChild(el("li", "\u2026 and " + more + " more", "more"));
    frag.appendChild(ul);
    return frag;
  }
  function showPanel(id) {
    var d = info[id];
    if (!d) return;
    panel.textContent = "";
    var close = el("button", "\u00d7", "close");
    close.type = "button";
    close.setAttribute("aria-label", "close");
    close.addEventListener("click", hidePanel);
    panel.appendChild(close);
    panel.appendChild(el("h2", d.label));
    panel.appendChild(el("p", d.kind + " \u00b7 centrality " + d.score.toPrecision(3), "meta"));
    if (d.aliases.length) panel.appendChild(el("p", "also: " + d.aliases.join("; "), "meta"));
    if (d.date) panel.appendChild(el("p", "date: " + d.date, "meta"));
    if (d.authors && d.authors.length) panel.appendChild(el("p", "authors: " + d.authors.join(", "), "meta"));
    if (d.url) {
      var p = el("p", null, "meta");
      p.appendChild(link(d.url, d.url));
      panel.appendChild(p);
    }
    if (d.kind !== "paper") {
      panel.appendChild(section("Papers", d.papers.map(function (i) {
        var paper = data.papers[i], li = el("li");
        li.appendChild(nodeButton(paper[2], paper[0]));
        if (paper[1]) { li.appendChild(document.createTextNode(" ")); li.appendChild(link(paper[1], "\u2197")); }
        return li;
      }), d.morePapers));
    }
    panel.appendChild(section(d.kind === "paper" ? "Claims in this paper" : "Claims", d.claims.map(function (i) {
      var c = data.claims[i], li = el("li");
      li.appendChild(nodeButton(c[2], c[1]));
      li.appendChild(el("em", " " + c[0] + " "));
      li.appendChild(nodeButton(c[4], c[3]));
      li.appendChild(el("blockquote", c[5]));
      if (c[6] !== null && d.kind !== "paper") {
        var src = el("div", "\u2014 ", "meta");
        src.appendChild(nodeButton(data.papers[c[6]][2], data.papers[c[6]][0]));
        li.appendChild(src);
      }
      return li;
    }), d.moreClaims));
    panel.hidden = false;
  }
  function hidePanel() { panel.hidden = true; network.unselectAll(); }

  function focusNode(id) {
    var d = info[id];
    if (!d) return;
    var box = document.querySelector('input[data-kind="' + d.kind + '"]');
    if (box && !box.checked) { box.checked = true; applyFilters(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showPanel(id);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showPanel(params.nodes[0]); else hidePanel();
  });

  // Search: case-insensitive substring of the label or an alias; exact, then prefix, then any
  // match, each ordered by centrality (data.info is already best first).
  function search(query) {
    var q = String(query).trim().toLowerCase(), hits = [];
    if (!q) return hits;
    data.info.forEach(function (d) {
      var best = 3;
      [d.label].concat(d.aliases).forEach(function (name) {
        var s = name.toLowerCase(), i = s.indexOf(q);
        if (i >= 0) best = Math.min(best, s === q ? 0 : i === 0 ? 1 : 2);
      });
      if (best < 3) hits.push([best, d.rank, d.id]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return hits.map(function (h) { return h[2]; });
  }
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var message = document.getElementById("kg-search-msg");
  function listResults() {
    var ids = search(input.value);
    results.textContent = "";
    message.textContent = input.value.trim() && !ids.length ? "no drawn node matches" : "";
    ids.slice(0, 12).forEach(function (id) {
      var li = el("li"), b = el("button", info[id].label + " (" + info[id].kind + ")");
      b.type = "button";
      b.addEventListener("click", function () { results.textContent = ""; focusNode(id); });
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
      if (ids.length) focusNode(ids[0]);
    } else if (ev.key === "Escape") {
      input.value = "";
      listResults();
    }
  });

  // For tests and the curious: the DataSets, the network and the helpers.
  window.kgMap = { network: network, nodes: nodes, edges: edges, stats: data.stats,
                   search: search, focusNode: focusNode, showPanel: showPanel };
})();
