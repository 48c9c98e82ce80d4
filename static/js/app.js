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

  // The quick log keeps what is typed in localStorage under "coalition.quickLog.<user id>.<path>"
  // (quick_log.js), and the service worker keeps the page in a "coalition-page-<version>" cache
  // (sw.js). Both belong to the signed-in user: forget them on sign-out, and when someone else
  // signs in on this device.
  var QUICK_LOG_PREFIX = "coalition.quickLog.";
  var OWNER_KEY = "coalition.user";

  function forgetQuickLogs(keepUser) {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf(QUICK_LOG_PREFIX) === 0 &&
            (keepUser === undefined || key.indexOf(QUICK_LOG_PREFIX + keepUser + ".") !== 0)) {
          localStorage.removeItem(key);
        }
      }
      if (keepUser === undefined) { localStorage.removeItem(OWNER_KEY); } else { localStorage.setItem(OWNER_KEY, keepUser); }
    } catch (error) { /* storage turned off: nothing was kept */ }
  }

  function forgetCachedPages() {
    if (!window.caches) { return Promise.resolve(); }
    return window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("coalition-page-") === 0; })
        .map(function (name) { return window.caches.delete(name); }));
    });
  }

  var signOutForm = document.querySelector("form[data-signout][data-user]");
  if (signOutForm) {
    var user = signOutForm.getAttribute("data-user");
    var owner = null;
    try { owner = localStorage.getItem(OWNER_KEY); } catch (error) { /* storage turned off */ }
    if (owner !== user) {
      forgetQuickLogs(user);
      forgetCachedPages().catch(function () {});
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-signout]")) { return; }
    forgetQuickLogs();
    if (!window.caches || form.hasAttribute("data-forgotten")) { return; }
    // Sign out once the cached page is gone (or after a second at most).
    event.preventDefault();
    form.setAttribute("data-forgotten", "");
    var signOut = function () { form.submit(); };
    Promise.race([forgetCachedPages(), new Promise(function (done) { setTimeout(done, 1000); })]).then(signOut, signOut);
  });
})();
