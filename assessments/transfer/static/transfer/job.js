// Polls a running import or export job and reloads the page when it has finished.
(function () {
  "use strict";
  var box = document.getElementById("job-status");
  if (!box || !box.dataset.statusUrl) { return; }
  var bar = box.querySelector("[data-progress]");
  var processed = box.querySelector("[data-processed]");
  var total = box.querySelector("[data-total]");
  var label = box.querySelector("[data-status-label]");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (bar) { bar.value = data.percent; }
        if (processed) { processed.textContent = data.processed; }
        if (total) { total.textContent = data.total; }
        if (label) { label.textContent = data.status_label; }
        if (data.running) { window.setTimeout(poll, 1500); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
