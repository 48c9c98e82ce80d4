// Coalition's own script: small behaviour that plain HTML cannot give.
(function () {
  "use strict";

  // Move focus to a form's error summary so keyboard and screen-reader users
  // start at the list of problems.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.target); });

  // Submit a filter form when one of its controls changes (forms still work
  // without JavaScript through their submit button).
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (form && window.htmx) { window.htmx.trigger(form, "submit"); }
  });
})();
