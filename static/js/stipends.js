// Liaison stipends: the statement's Print button (inline handlers are forbidden by the CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
