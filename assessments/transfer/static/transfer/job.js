// Polls a queued or running import or export job: moves the progress bar, and reloads the page
// once the job has finished (the bar is left at 100 % for a moment first).
(function () {
  "use strict";
  var box = document.getElementById("job-status");
  if (!box || !box.dataset.statusUrl) { return; }
  var bar = box.querySelector("[data-progress]");
  var processed = box.querySelector("[data-processed]");
  var total = box.querySelector("[data-total]");
  var percent = box.querySelector("[data-percent]");
  var label = box.querySelector("[data-status-label]");
  var format = new Intl.NumberFormat("en-US");
  function show(data) {
    if (bar) { bar.value = data.percent; bar.setAttribute("value", data.percent); }
    if (percent) { percent.textContent = data.percent; }
    if (processed) { processed.textContent = format.format(data.processed); }
    if (total) { total.textContent = format.format(data.total); }
    if (label) { label.textContent = data.status_label; }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.setTimeout(function () { window.location.reload(); }, 400);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 700);
})();
