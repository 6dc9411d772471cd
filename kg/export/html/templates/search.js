// Search over every node, drawn or not: names and aliases, exact > prefix > word > substring > typo.
// The index (lower-cased names, a trigram -> entries map, entity names by length) is built once,
// in slices right after the first drawing, so that typing stays fast on a map of 20,000 nodes.
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
