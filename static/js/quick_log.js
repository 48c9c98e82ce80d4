// The quick log: rows and attendee chips, and nothing typed is ever lost.
//
// - Kept as it is typed: every field, and the rows and chips added with htmx, go to
//   localStorage under "coalition.quickLog.<user id>.<path>" (app.js forgets them on sign-out
//   and when someone else signs in on this device).
// - Submitted with fetch, with the form fill's idempotency key (submission_key). When the
//   network is down, the sign-in has ended or the server fails, the page keeps everything,
//   says so (the texts are the page's <template data-notice> elements) and sends it again by
//   itself: when the connection returns, on a timer, or when this page opens again after
//   signing in. The key makes the server create the engagement once however often it arrives.
// - Without JavaScript the form posts as usual. Without the network, "Add …" buttons build
//   rows from the page's <template data-row-template> elements instead of asking the server.
(function () {
  "use strict";

  var PREFIX = "coalition.quickLog.";
  var CONTAINERS = ["breakdown-rows", "attendee-chips", "input-rows", "commitment-rows"];
  var NOT_KEPT = { csrfmiddlewaretoken: true, attendee_q: true };
  var NOT_FIELDS = ["submit", "button", "reset", "file"];
  var RETRY_SECONDS = { offline: 30, error: 60 };
  var pending = null; // {action: "log" | "draft"} once submitted and not yet saved by the server
  var sending = false;
  var finished = false; // saved (or signed out): keep nothing more
  var saveTimer = null;
  var retryTimer = null;

  function quickLog() { return document.querySelector("form[data-quick-log]"); }

  function storageKey(form) { return PREFIX + form.getAttribute("data-user") + "." + location.pathname; }

  function read(form) {
    try { return JSON.parse(localStorage.getItem(storageKey(form))); } catch (error) { return null; }
  }

  function forget(form) {
    try { localStorage.removeItem(storageKey(form)); } catch (error) { /* storage turned off */ }
  }

  function kept(field) {
    return field.name && !NOT_KEPT[field.name] && !field.disabled && NOT_FIELDS.indexOf(field.type) === -1;
  }

  function save(form) {
    clearTimeout(saveTimer);
    saveTimer = null;
    if (finished || !form) { return; }
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) { return; }
      if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.selectedOptions, function (option) { fields.push([field.name, option.value]); });
      } else if ((field.type !== "checkbox" && field.type !== "radio") || field.checked) {
        fields.push([field.name, field.value]);
      }
    });
    var html = {};
    CONTAINERS.forEach(function (id) {
      var container = document.getElementById(id);
      if (container) { html[id] = container.innerHTML; }
    });
    try {
      localStorage.setItem(storageKey(form), JSON.stringify({ fields: fields, html: html, pending: pending }));
    } catch (error) { /* full or turned off: the page still holds everything */ }
  }

  function saveSoon(form) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () { save(form); }, 300);
  }

  function restore(form, state) {
    Object.keys(state.html || {}).forEach(function (id) {
      var container = document.getElementById(id);
      if (container) { container.innerHTML = state.html[id]; }
    });
    var values = {};
    (state.fields || []).forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) { return; }
      var list = values[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = list.indexOf(field.value) !== -1;
      } else if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.options, function (option) { option.selected = list.indexOf(option.value) !== -1; });
      } else if (list.length) {
        field.value = list.shift();
      }
    });
    form.querySelectorAll("[data-swap-focus]").forEach(function (element) { element.removeAttribute("data-swap-focus"); });
    return Boolean(values.submission_key && values.submission_key[0]);
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (byte) { return (byte + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // One message at a time: "sending" in the status region, a failure in the alert region
  // (focused, unless a quiet retry finds the same problem again).
  function notify(form, kind, quiet) {
    var status = form.querySelector("[data-notice-status]");
    var alert = form.querySelector("[data-notice-alert]");
    if (!status || !alert) { return; }
    var shown = alert.getAttribute("data-kind") || "";
    if (kind === "sending" && quiet) { return; }
    status.textContent = "";
    if (kind === "sending" || !kind) {
      alert.textContent = "";
      alert.removeAttribute("data-kind");
      if (kind) { status.appendChild(noticeText(form, kind)); }
      return;
    }
    if (kind === shown) { return; }
    alert.textContent = "";
    alert.appendChild(noticeText(form, kind));
    alert.setAttribute("data-kind", kind);
    if (!quiet) { alert.focus(); }
  }

  function noticeText(form, kind) {
    var template = form.querySelector('template[data-notice="' + kind + '"]');
    return template ? template.content.cloneNode(true) : document.createDocumentFragment();
  }

  function send(form, quiet) {
    if (!pending || sending || finished) { return; }
    clearTimeout(retryTimer);
    sending = true;
    form.setAttribute("aria-busy", "true");
    notify(form, "sending", quiet);
    var data = new FormData(form);
    data.set("action", pending.action);
    var done = function () {
      sending = false;
      form.removeAttribute("aria-busy");
    };
    // The form's buttons are named "action", which hides form.action: read the attribute.
    fetch(form.getAttribute("action") || location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Quick-Log": "fetch" }
    }).then(function (response) {
      return answered(form, response, quiet);
    }, function () {
      failed(form, "offline", quiet);
    }).then(done, done);
  }

  function answered(form, response, quiet) {
    // A redirect (the server only redirects here to the sign-in page or the second step) or
    // a refused CSRF token (cookies gone, or a new sign-in since the page was loaded).
    if (response.type === "opaqueredirect" || response.status === 403) { return failed(form, "signin", quiet); }
    var type = response.headers.get("Content-Type") || "";
    if (response.ok && type.indexOf("application/json") === 0) {
      return response.json().then(function (result) {
        finished = true;
        forget(form);
        location.assign(result.location);
      }, function () { failed(form, "error", quiet); });
    }
    if (response.ok && type.indexOf("text/html") === 0) {
      return response.text().then(function (html) {
        if (!showProblems(html)) { failed(form, "error", quiet); }
      });
    }
    return failed(form, "error", quiet);
  }

  function failed(form, kind, quiet) {
    notify(form, kind, quiet);
    clearTimeout(retryTimer);
    var seconds = Number(form.getAttribute("data-retry-seconds")) || RETRY_SECONDS[kind];
    if (seconds) {
      retryTimer = setTimeout(function () {
        var current = quickLog();
        if (!current) { return; }
        if (navigator.onLine === false) { failed(current, "offline", true); } else { send(current, true); }
      }, seconds * 1000);
    }
  }

  // The server found something to fix: show its page (with every value and each problem)
  // in place of this one, as a plain form post would have.
  function showProblems(html) {
    var main = document.getElementById("main");
    var next = new DOMParser().parseFromString(html, "text/html").getElementById("main");
    if (!main || !next || !next.querySelector("form[data-quick-log]")) { return false; }
    pending = null;
    main.innerHTML = next.innerHTML;
    if (window.htmx) { window.htmx.process(main); }
    save(quickLog());
    var summary = main.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    return true;
  }

  function addRowHere(kind) {
    var form = quickLog();
    var template = form && form.querySelector('template[data-row-template="' + kind + '"]');
    var total = document.getElementById("id_" + kind + "-TOTAL_FORMS");
    var rows = document.getElementById(kind + "-rows");
    if (!template || !total || !rows) { return false; }
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var field = row.querySelector("input:not([type=hidden]), select, textarea");
    if (field) { field.focus(); }
    save(form);
    return true;
  }

  function start() {
    var form = quickLog();
    if (!form) { return; }
    var worker = form.getAttribute("data-service-worker");
    if (worker && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
    }
    var state = read(form);
    if (document.querySelector("[data-error-summary]")) {
      // A plain post came back with problems: the page holds what was sent, the latest.
      if (state) { save(form); }
      return;
    }
    if (!state) {
      // A new fill gets a new key (the page may be a copy kept by the service worker).
      form.elements.submission_key.value = newKey();
      return;
    }
    if (!restore(form, state)) { form.elements.submission_key.value = newKey(); }
    pending = state.pending || null;
    if (pending) {
      send(form, false); // after signing in again, or reopening the page
    } else {
      form.querySelector("[data-restored]").hidden = false;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-signout]")) {
      finished = true; // app.js forgets what was kept; keep nothing more
      clearTimeout(saveTimer);
      return;
    }
    if (!form.matches("form[data-quick-log]") || !window.fetch || !window.FormData) { return; }
    event.preventDefault();
    if (sending || finished) { return; } // a double tap: the first one is on its way
    var submitter = event.submitter;
    pending = { action: submitter && submitter.name === "action" ? submitter.value : "log" };
    save(form);
    send(form, false);
  });

  window.addEventListener("online", function () {
    var form = quickLog();
    if (form) { send(form, false); }
  });

  window.addEventListener("pagehide", function () {
    if (saveTimer) { save(quickLog()); }
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted && finished) { location.reload(); }
  });

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.matches("form[data-quick-log]")) { saveSoon(form); }
  });

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.matches("form[data-quick-log]")) { saveSoon(form); }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-discard], [data-forget]")) {
      // "Clear the form" starts again here; "Cancel" leaves the edit without its changes.
      finished = true;
      forget(quickLog());
      if (event.target.closest("[data-discard]")) { location.reload(); }
      return;
    }
    var removeRow = event.target.closest("[data-remove-row]");
    if (removeRow) {
      // The server ignores a row that sends nothing, so taking it out of the page is enough.
      var row = removeRow.closest("[data-row]");
      if (row) {
        // Keep keyboard focus in the section: on its "Add ..." button.
        var section = row.parentElement && row.parentElement.parentElement;
        var add = section && section.querySelector("button[hx-get]");
        row.remove();
        if (add) { add.focus(); }
        save(quickLog());
      }
      return;
    }
    var removeChip = event.target.closest("[data-remove-chip]");
    if (removeChip) {
      var chip = removeChip.closest("[data-attendee-chip]");
      if (chip) { chip.remove(); }
      var search = document.getElementById("attendee-search");
      if (search) { search.focus(); }
      save(quickLog());
    }
  });

  // No network: build the row here instead of asking the server for it.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var kind = event.detail.elt.getAttribute("data-add-row");
    if (kind && navigator.onLine === false && addRowHere(kind)) { event.preventDefault(); }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var kind = event.detail.elt.getAttribute("data-add-row");
    if (kind) { addRowHere(kind); }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var chips = document.getElementById("attendee-chips");
    if (!chips || event.detail.target !== chips) { return; }
    var seen = {};
    chips.querySelectorAll("[data-attendee-chip]").forEach(function (chip) {
      var pk = chip.getAttribute("data-pk");
      if (seen[pk]) { chip.remove(); } else { seen[pk] = true; }
    });
    var search = document.getElementById("attendee-search");
    var results = document.getElementById("attendee-results");
    if (search) { search.value = ""; search.focus(); }
    if (results) { results.innerHTML = ""; }
  });

  // Rows and chips the server added (and the quick-add fields it cleared) are kept too.
  document.addEventListener("htmx:afterSettle", function (event) {
    var form = quickLog();
    if (form && form.contains(event.detail.elt)) { save(form); }
  });

  start();
})();
