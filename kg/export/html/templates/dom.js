// Small DOM helpers that put text on the page as text only.
// Paper text reaches the page only through textContent (never innerHTML) and canvas fillText, and
// links only from http(s) URLs, so a title that looks like an img tag with an onerror handler is shown, not run.
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
function plural(k, word) { return k + " " + word + (k === 1 ? "" : "s"); }
