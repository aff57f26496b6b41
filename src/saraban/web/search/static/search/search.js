/* The top bar's search box: close its instant results with Escape or a click elsewhere, move through them
   with the arrow keys.  The results themselves come from /search/instant/ through htmx (no inline script). */
(function () {
  "use strict";
  function boxes() { return document.querySelectorAll("[data-search-box]"); }
  function close(box) { var d = box.querySelector(".sbox-drop"); if (d) { d.innerHTML = ""; } }
  document.addEventListener("keydown", function (ev) {
    var box = ev.target.closest && ev.target.closest("[data-search-box]");
    if (!box) { return; }
    var links = Array.prototype.slice.call(box.querySelectorAll(".sbox-drop a"));
    var at = links.indexOf(document.activeElement);
    if (ev.key === "Escape") { close(box); box.querySelector("input").focus(); }
    else if (ev.key === "ArrowDown" && links.length) { ev.preventDefault(); links[Math.min(at + 1, links.length - 1)].focus(); }
    else if (ev.key === "ArrowUp" && links.length) {
      ev.preventDefault();
      if (at <= 0) { box.querySelector("input").focus(); } else { links[at - 1].focus(); }
    }
  });
  document.addEventListener("click", function (ev) {
    boxes().forEach(function (box) { if (!box.contains(ev.target)) { close(box); } });
  });
})();
