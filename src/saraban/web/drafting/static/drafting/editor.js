/* The draft editor's toolbar: each [data-insert] button puts its text at the cursor in the letter body.
   A static file, not inline script, so the Content-Security-Policy can forbid inline script. */
(function () {
  "use strict";
  document.querySelectorAll(".df-toolbar [data-insert]").forEach(function (b) {
    b.addEventListener("click", function () {
      var t = document.getElementById("f-body");
      if (!t || t.disabled) return;
      var s = t.selectionStart, e = t.selectionEnd, ins = b.getAttribute("data-insert");
      t.value = t.value.slice(0, s) + ins + t.value.slice(e);
      t.selectionStart = t.selectionEnd = s + ins.length;
      t.focus();
      t.dispatchEvent(new Event("input", {bubbles: true}));
    });
  });
})();
