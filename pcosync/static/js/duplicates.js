// The finder page's live part: while a scan runs, its progress is polled (as the Sync page
// polls a run) and the page reloads when it ends, showing the pairs found.
(function () {
  "use strict";
  var box = document.getElementById("scan-progress");
  if (!box || box.dataset.running !== "yes") { return; }
  var pollMs = parseInt(box.dataset.pollMs, 10) || 3000;

  function show(scan) {
    document.getElementById("scan-stage").textContent = scan.stage || "";
    document.getElementById("scan-count").textContent =
      scan.total ? ": " + scan.done + " of " + scan.total : "";
    var bar = document.getElementById("scan-bar");
    bar.max = scan.total || 1;
    bar.value = scan.done || 0;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (scan) {
        if (!scan.running) { window.location.reload(); return; }
        show(scan);
        window.setTimeout(poll, pollMs);
      })
      .catch(function () { window.setTimeout(poll, pollMs * 2); });
  }
  window.setTimeout(poll, pollMs);
})();
