// A table that may scroll inside its own box on a phone must be reachable by keyboard (so it
// can be scrolled without a mouse): tables with nothing focusable in them become a tab stop.
document.querySelectorAll(".content table").forEach(function (table) {
  var focusable = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled])";
  if (!table.querySelector(focusable)) {
    table.tabIndex = 0;
  }
});
