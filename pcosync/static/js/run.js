// A run's page while the run is going: its counters polled every 3 s, and the page reloaded
// when it ends (a preview's report then appears). Without JavaScript, reload by hand.
(function () {
  "use strict";
  var page = document.getElementById("run-page");
  if (!page || !page.dataset.running) { return; }
  var pollMs = parseInt(page.dataset.pollMs, 10) || 3000;

  function poll() {
    fetch(page.dataset.summaryUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (run) {
        // The run ended (its status is no longer the one this page was drawn with).
        if (run && run.status !== page.dataset.status) { window.location.reload(); return; }
        if (run) {
          document.getElementById("run-counts").textContent =
            [run.created, run.updated, run.skipped, run.failed].join(" / ");
        }
        window.setTimeout(poll, pollMs);
      })
      .catch(function () { window.setTimeout(poll, pollMs); });
  }

  window.setTimeout(poll, pollMs);
})();
