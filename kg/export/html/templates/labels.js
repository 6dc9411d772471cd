// Node labels, drawn by us on the canvas after vis-network draws: most important first, never one on top of another.
var LABEL_MAX = 300, LABEL_CHARS = 34;
var labelOrder = null, textWidth = {}, lastLabels = [];  // labelOrder: drawn ids by priority (null: sort again)
function labelPriority(id) {
  if (id === state.selected) return -2e9;
  if (highlighted && highlighted[id]) return -1e9 + rank[id];
  return rank[id];
}
function whiteGround(ctx) {  // a white ground, so the exported PNG is not transparent
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
}
function drawLabels(ctx) {
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
}
// A grid of cells `cell` wide: each placed box is listed in the cells it covers, so a new box is
// tested only against its neighbours.
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
