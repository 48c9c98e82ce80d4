// The quick log: remove repeated rows and attendee chips, keep each attendee once.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
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
      }
      return;
    }
    var removeChip = event.target.closest("[data-remove-chip]");
    if (removeChip) {
      var chip = removeChip.closest("[data-attendee-chip]");
      if (chip) { chip.remove(); }
      var search = document.getElementById("attendee-search");
      if (search) { search.focus(); }
    }
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
})();
