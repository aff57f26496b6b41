/* Small behaviours every page may use, from a static file so the Content-Security-Policy can forbid inline
   script and inline event handlers (onchange=… and the like):
   - a <select data-autosubmit> sends its form when it changes. */
(function () {
  "use strict";
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { if (el.form) el.form.submit(); });
  });
})();
