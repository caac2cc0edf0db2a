// The event admin's grids (results, crews): keyboard moves between cells. Enter goes to the
// next cell of the row (at its end, to the first cell of the next row) instead of submitting;
// arrow up and down go to the same column in the row above or below. Selects keep their own
// arrow keys (a letter picks an option). Without this script the grid is a plain form.
(function () {
  "use strict";
  function cells(row) {
    return Array.prototype.filter.call(
      row.querySelectorAll("input:not([type=hidden]), select"),
      function (el) { return !el.disabled && el.offsetParent !== null; }
    );
  }
  function move(grid, cell, rowStep, colStep) {
    var row = cell.closest("tr");
    var rows = Array.prototype.slice.call(grid.tBodies[0].rows);
    var r = rows.indexOf(row);
    var c = cells(row).indexOf(cell);
    if (colStep) {
      var here = cells(row);
      if (c + colStep < here.length) { here[c + colStep].focus(); return true; }
      for (var n = r + 1; n < rows.length; n++) {
        var next = cells(rows[n]);
        if (next.length) { next[0].focus(); return true; }
      }
      return false;
    }
    for (var i = r + rowStep; i >= 0 && i < rows.length; i += rowStep) {
      var target = cells(rows[i]);
      if (target.length > c) { target[c].focus(); if (target[c].select) target[c].select(); return true; }
    }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    var cell = event.target;
    var grid = cell.closest && cell.closest("table[data-grid]");
    if (!grid || event.altKey || event.ctrlKey || event.metaKey) return;
    var isSelect = cell.tagName === "SELECT";
    if (event.key === "Enter" && !event.shiftKey) {
      if (move(grid, cell, 0, 1)) event.preventDefault();
    } else if (!isSelect && event.key === "ArrowDown") {
      if (move(grid, cell, 1, 0)) event.preventDefault();
    } else if (!isSelect && event.key === "ArrowUp") {
      if (move(grid, cell, -1, 0)) event.preventDefault();
    }
  });
})();

// The admin's driver autocomplete (select2) draws its own combobox, named by the selected
// driver only: an empty place would have no name. Give each the name of its select
// ("Driver 2, #39") once select2 has drawn them: in a jQuery ready handler registered after the
// admin's own (which draws them), or at load where the admin's jQuery is absent.
(function () {
  "use strict";
  function nameCombos() {
    document.querySelectorAll("table[data-grid] select[aria-label]").forEach(function (select) {
      var drawn = select.parentElement.querySelector(".select2-selection[role=combobox]");
      if (drawn) {
        drawn.removeAttribute("aria-labelledby");
        drawn.setAttribute("aria-label", select.getAttribute("aria-label"));
        var shown = drawn.querySelector("[role=textbox]");
        if (shown) shown.setAttribute("aria-label", select.getAttribute("aria-label"));
      }
    });
  }
  if (window.django && window.django.jQuery) {
    window.django.jQuery(nameCombos);
  } else {
    window.addEventListener("load", nameCombos);
  }
})();
