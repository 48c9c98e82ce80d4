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
  // After an htmx swap, move focus to the part the server marked with
  // data-swap-focus (a new form row, a saved editor, a decision's outcome):
  // the element that had focus is often gone, which would drop keyboard users
  // back at the top of the page. A container hands focus to its first field.
  function focusSwapped(root) {
    var marked = root.querySelectorAll("[data-swap-focus]");
    if (!marked.length) { return false; }
    var element = marked[marked.length - 1];
    marked.forEach(function (each) { each.removeAttribute("data-swap-focus"); });
    var field = element.matches("a[href], button, input, select, textarea, [tabindex]") ? element
      : element.querySelector("input:not([type=hidden]), select, textarea, button, a[href]");
    (field || element).focus();
    return true;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.detail.target && event.detail.target.isConnected ? event.detail.target : document;
    if (!focusSwapped(root) && root !== document) { focusSwapped(document); }
    focusErrorSummary(root);
  });

  // Submit a filter form when one of its controls changes (forms still work
  // without JavaScript through their submit button).
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (form && window.htmx) { window.htmx.trigger(form, "submit"); }
  });
})();
