// The Sync page's live parts: start/cancel without a reload, progress polled every 3 s,
// history refreshed when a run ends. Without JavaScript the forms still work.
(function () {
  "use strict";
  var page = document.getElementById("sync-page");
  if (!page) { return; }
  var pollMs = parseInt(page.dataset.pollMs, 10) || 3000;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var state = { activeId: null, latestId: null };

  function $(selector) { return document.querySelector(selector); }

  function formatDuration(seconds) {
    seconds = Math.round(seconds);
    var m = Math.floor(seconds / 60), s = seconds % 60, h = Math.floor(m / 60);
    if (h) { return h + "h " + (m % 60) + "m"; }
    return m ? m + "m " + s + "s" : s + "s";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: "Unexpected answer from the server (" + response.status + ")." };
      }).then(function (data) { data.status = response.status; return data; });
    });
  }

  function say(text, isError) {
    var box = $("#sync-message");
    box.textContent = text || "";
    box.className = text ? (isError ? "flash flash-error" : "flash flash-info") : "";
  }

  function setButtonsDisabled(disabled) {
    document.querySelectorAll("[data-start-button]").forEach(function (button) {
      button.disabled = disabled;
    });
  }

  function showRun(run) {
    state.activeId = run.id;
    var panel = $("#progress");
    panel.hidden = false;
    panel.dataset.state = "running";
    $("#progress-verb").textContent = "is running";
    $("#progress-outcome").hidden = true;
    $("#cancel-form").hidden = false;
    $("#progress-kind").textContent = (run.label || run.kind) + (run.preview ? " (preview)" : "");
    $("#progress-step").textContent = run.step ? "Step: " + run.step : "";
    ["created", "updated", "skipped", "failed"].forEach(function (name) {
      $("#count-" + name).textContent = run[name];
    });
    $("#elapsed").textContent = formatDuration(run.elapsed_seconds);
    var cancel = $("#cancel-form");
    cancel.action = cancel.dataset.actionTemplate.replace("/0/", "/" + run.id + "/");
    $("#cancel-button").disabled = !!run.cancel_requested;
    $("#cancel-button").textContent = run.cancel_requested ? "Cancelling…" : "Cancel";
    setButtonsDisabled(true);
  }

  function refreshHistory() {
    return fetch(page.dataset.historyUrl, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { $("#history").innerHTML = html; });
  }

  // The running panel turns into the run's result when it ends (and stays until a new start).
  function showResult(run) {
    var panel = $("#progress");
    ["created", "updated", "skipped", "failed"].forEach(function (name) {
      $("#count-" + name).textContent = run[name];
    });
    $("#elapsed").textContent = formatDuration(run.elapsed_seconds);
    $("#progress-step").textContent = "";
    $("#progress-verb").textContent = run.status === "COMPLETED" ? "finished" : "ended";
    $("#cancel-form").hidden = true;
    var outcome = $("#progress-outcome");
    outcome.querySelector("span").textContent = run.outcome;
    $("#progress-link").href = page.dataset.runUrl.replace("/0", "/" + run.id);
    outcome.hidden = false;
    $("#last-run-outcome").textContent = run.outcome;
    if ($("#last-run-link")) { $("#last-run-link").href = $("#progress-link").href; }
    panel.dataset.state = "done";
  }

  function showIdle() {
    var endedId = state.activeId;
    state.activeId = null;
    setButtonsDisabled(false);
    if (endedId === null) { return false; }
    fetch(page.dataset.summaryUrl.replace("/0/", "/" + endedId + "/"),
          { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (run) { if (run) { showResult(run); } });
    return true;
  }

  function updateWebhooks(counts) {
    Object.keys(counts || {}).forEach(function (name) {
      var cell = document.querySelector('[data-webhook="' + name + '"]');
      if (cell) { cell.textContent = counts[name]; }
    });
  }

  function poll() {
    fetch(page.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { return; }
        var ended = status.active ? (showRun(status.active), false) : showIdle();
        // While a run is going its history row is refreshed too, so both always agree.
        if (status.active || ended || (state.latestId !== null && status.latest_run_id !== state.latestId)) {
          refreshHistory();
        }
        state.latestId = status.latest_run_id;
        updateWebhooks(status.webhooks);
        if (status.queue) { $("#queue-down").hidden = status.queue.up; }
      })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () { window.setTimeout(poll, pollMs); });
  }

  document.querySelectorAll('form[data-js="start-run"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new FormData(form);
      if (event.submitter && event.submitter.name) { body.set(event.submitter.name, event.submitter.value); }
      setButtonsDisabled(true);
      post(form.action, body).then(function (data) {
        if (data.status === 202 && data.run.preview) {
          window.location.assign(data.url);  // the preview's page shows its report
        } else if (data.status === 202) {
          say("");
          showRun(data.run);
          refreshHistory();
        } else {
          say(data.message, true);
          if (data.status !== 409) { setButtonsDisabled(false); }
        }
      });
    });
  });

  $('form[data-js="cancel"]').addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    $("#cancel-button").disabled = true;
    post(form.action, new FormData(form)).then(function (data) { say(data.message, !data.ok); });
  });

  $('form[data-js="test-connection"]').addEventListener("submit", function (event) {
    event.preventDefault();
    var result = $("#connection-result");
    var button = event.target.querySelector("button");
    button.disabled = true;
    result.className = "muted";
    result.textContent = "Testing…";
    post(event.target.action, new FormData(event.target)).then(function (data) {
      result.textContent = data.message;
      result.className = data.ok ? "ok-text" : "error-text";
    }).finally(function () { button.disabled = false; });
  });

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = $(button.dataset.copy);
      input.select();
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else { document.execCommand("copy"); done(); }
    });
  });

  poll();
})();
