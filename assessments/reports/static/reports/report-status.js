// Polls the report status while a PDF is being prepared and reloads the page when it is done.
(function () {
  "use strict";
  var panels = document.querySelectorAll("[data-report-status-url]");
  Array.prototype.forEach.call(panels, function (panel) {
    var url = panel.getAttribute("data-report-status-url");
    var tries = 0;
    function poll() {
      tries += 1;
      if (tries > 100) return;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && !data.pending) { window.location.reload(); }
          else { window.setTimeout(poll, 3000); }
        })
        .catch(function () { window.setTimeout(poll, 6000); });
    }
    window.setTimeout(poll, 3000);
  });
})();
