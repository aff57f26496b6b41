/* Small behaviours every page may use, from a static file so the Content-Security-Policy can forbid inline
   script and inline event handlers (onchange=… and the like):
   - a <select data-autosubmit> sends its form when it changes. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // the phone header's menu button opens and closes the menu (Escape closes it and gives focus back)
  var header = document.getElementById("top"), toggle = header && header.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { var first = header.querySelector(".topmenu a"); if (first) first.focus(); }
    });
    header.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && header.classList.contains("open")) {
        header.classList.remove("open"); toggle.setAttribute("aria-expanded", "false"); toggle.focus();
      }
    });
  }
  // the first-run tour: shown until this person closes it (remembered in this browser, per account and role)
  var tour = document.getElementById("tour");
  if (tour) {
    var key = "saraban.tour." + tour.getAttribute("data-tour");
    var seen = null;
    try { seen = window.localStorage.getItem(key); } catch (e) { seen = null; }
    if (!seen) tour.hidden = false;
    var close = tour.querySelector("[data-tour-close]");
    if (close) close.addEventListener("click", function () {
      try { window.localStorage.setItem(key, "closed"); } catch (e) { /* private mode: closes for now only */ }
      tour.hidden = true;
      var main = document.getElementById("main"); if (main) main.focus();
    });
  }
  // tables reflow into cards on a phone: each cell carries its column's heading as data-label
  function labelCells(root) {
    (root || document).querySelectorAll("table.reg").forEach(function (table) {
      var heads = table.tHead ? [].map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); }) : [];
      if (!heads.length) return;
      [].forEach.call(table.tBodies, function (body) {
        [].forEach.call(body.rows, function (row) {
          var col = 0;
          [].forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", cell.colSpan > 1 ? "" : heads[col] || "");
            col += cell.colSpan || 1;
          });
        });
      });
    });
  }
  labelCells(document);
  document.body.addEventListener("htmx:afterSwap", function (e) { labelCells(e.target); });
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { if (el.form) el.form.submit(); });
  });
})();
