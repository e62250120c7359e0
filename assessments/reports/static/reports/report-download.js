// The "Prepare and download the PDF" links: instead of a page that waits with no feedback
// while the report renders, show a progress bar with the time elapsed, ask the status
// endpoint to prepare the report, poll it, and start the download by itself when it is ready.
// Without JavaScript the links are plain links to the download (see reports/views.py).
(function () {
  "use strict";
  var POLL_MS = 1500;
  var MAX_POLLS = 400;

  function setup(panel) {
    var url = panel.getAttribute("data-report-prepare-url");
    var box = panel.querySelector(".report-progress");
    if (!url || !box || !window.fetch) return;
    var text = box.querySelector(".report-progress-text");
    var time = box.querySelector(".report-progress-time");
    var bar = box.querySelector("progress");
    var busy = false;

    function say(message) { text.textContent = message; }

    function finish(link, ok) {
      window.clearInterval(link._timer);
      busy = false;
      if (ok) {
        bar.max = 1;
        bar.value = 1;
        say(panel.getAttribute("data-msg-started"));
        window.location.assign(link.href);
      } else {
        bar.hidden = true;
        time.textContent = "";
        say(panel.getAttribute("data-msg-failed"));
      }
    }

    function poll(link, lang, query, tries) {
      if (tries > MAX_POLLS) { finish(link, false); return; }
      fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          var status = data && data.reports ? data.reports[lang] : null;
          if (status === "ready") { finish(link, true); }
          else if (status === "failed" || !data) { finish(link, false); }
          else { window.setTimeout(function () { poll(link, lang, "", tries + 1); }, POLL_MS); }
        })
        .catch(function () { window.setTimeout(function () { poll(link, lang, "", tries + 1); }, POLL_MS * 2); });
    }

    panel.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-report-download]") : null;
      if (!link || event.defaultPrevented || event.button !== 0 ||
          event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (busy) return;
      busy = true;
      var lang = link.getAttribute("data-report-download");
      var started = Date.now();
      bar.hidden = false;
      bar.removeAttribute("value");
      say(panel.getAttribute("data-msg-preparing"));
      time.textContent = "";
      box.hidden = false;
      link._timer = window.setInterval(function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        time.textContent = panel.getAttribute("data-msg-seconds").replace("{seconds}", seconds);
      }, 500);
      poll(link, lang, "?prepare=" + encodeURIComponent(lang), 0);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-report-prepare-url]"), setup);
})();
