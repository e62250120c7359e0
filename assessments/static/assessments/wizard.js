/* The self-assessment wizard, improved by script (every page works without it):
   - questions whose condition reads answers on the same step are shown and hidden as the user
     types (the server checks the same conditions; without script they all stay visible);
   - the step is saved as the user works (debounced), with "Saved hh:mm" (without script: the
     step's "Save" button and every navigation button save);
   - leaving the step with changes not saved yet asks first (a dialog for links and other forms
     on the page, the browser's own prompt for closing the tab or typing an address);
   - files that add up to more than one save can carry are refused before anything is sent;
   - the step list is open on wide screens and collapsed on narrow ones. */
(function () {
  "use strict";
  var form = document.getElementById("wizard-form");
  if (!form) { return; }
  var saved = {};
  var node = document.getElementById("wizard-answers");
  if (node) { try { saved = JSON.parse(node.textContent) || {}; } catch (e) { saved = {}; } }
  var prefix = (form.querySelector("input[name$='current_step']") || {}).value || "";

  // ------------------------------------------------------------------ conditions
  function value(key) {
    var inputs = form.querySelectorAll("[name='" + prefix + "-" + key + "']");
    if (!inputs.length) { return saved[key]; }
    var out = [];
    var multi = false;
    inputs.forEach(function (el) {
      if (el.type === "checkbox") { multi = true; if (el.checked) { out.push(el.value); } }
      else if (el.type === "radio") { if (el.checked) { out.push(el.value); } }
      else if (el.value !== "") { out.push(el.value); }
    });
    if (multi) { return out; }
    var v = out.length ? out[0] : null;
    if (v === "yes") { return true; }
    if (v === "no") { return false; }
    return v;
  }

  function holds(c) {
    if (c.all) { return c.all.every(holds); }
    if (c.any) { return c.any.some(holds); }
    if (c.not) { return !holds(c.not); }
    var a = value(c.key);
    if (c.op === "answered") { return a !== null && a !== undefined && a !== "" && !(Array.isArray(a) && !a.length); }
    if (a === null || a === undefined) { return false; }
    if (c.op === "in") { return (c.value || []).indexOf(a) >= 0; }
    if (typeof c.value === "boolean" || typeof a === "boolean") {
      var eq = a === c.value;
      return c.op === "eq" ? eq : (c.op === "ne" ? !eq : false);
    }
    var x = parseFloat(a), y = parseFloat(c.value);
    if (isNaN(x) || isNaN(y)) {
      if (c.op === "eq") { return String(a) === String(c.value); }
      if (c.op === "ne") { return String(a) !== String(c.value); }
      return false;
    }
    return { eq: x === y, ne: x !== y, gt: x > y, ge: x >= y, lt: x < y, le: x <= y }[c.op] || false;
  }

  function refresh() {
    form.querySelectorAll("[data-condition]").forEach(function (q) {
      var conds = JSON.parse(q.getAttribute("data-condition"));
      q.hidden = !conds.every(holds);
    });
  }

  // ------------------------------------------------------------------ autosave
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("save-status");
  var revision = document.getElementById("wizard-revision");
  var DELAY = 1500;
  var timer = null;
  var dirty = false; // input changed since the last successful save
  var flight = null; // the save being sent, a Promise
  var edits = 0; // counts changes, so that a save overtaken by typing keeps the page dirty
  var leaving = false; // the user chose to leave (or the form is being sent)

  function say(text) { if (status) { status.textContent = text; } }

  function body() {
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file" || el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      data.append(el.name, el.value);
    });
    return data;
  }

  // The input as last saved (the revision left out: it changes with every save), so that a
  // "change" event that changes nothing (leaving a field by clicking a link) is not an edit.
  function snapshot() {
    var parts = [];
    body().forEach(function (v, k) { if (k !== "revision") { parts.push(k + "=" + v); } });
    return parts.join("&");
  }
  var savedInput = snapshot();

  function save(keepalive) {
    if (!url) { return Promise.resolve(false); }
    clearTimeout(timer);
    timer = null;
    if (flight) { return flight.then(function () { return dirty ? save(keepalive) : true; }); }
    var at = edits;
    var sent = snapshot();
    say(status && status.getAttribute("data-saving"));
    flight = fetch(url, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      keepalive: !!keepalive
    }).then(function (response) {
      var json = (response.headers.get("content-type") || "").indexOf("application/json") === 0;
      return (json ? response.json() : Promise.resolve({})).then(function (data) {
        if (response.ok && data.saved) {
          if (revision && data.revision !== undefined) { revision.value = data.revision; }
          savedInput = sent;
          if (at === edits) { dirty = false; }
          say(dirty ? status.getAttribute("data-unsaved") : data.text);
          return true;
        }
        say(data.message || (status && status.getAttribute("data-failed")));
        return false;
      });
    }).catch(function () {
      say(status && status.getAttribute("data-failed"));
      return false;
    }).then(function (ok) { flight = null; return ok; });
    return flight;
  }

  function changed(event) {
    if (event && event.target && event.target.type === "file") { return; }
    if (!dirty && snapshot() === savedInput) { return; }
    edits += 1;
    dirty = true;
    say(status && status.getAttribute("data-unsaved"));
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  // ------------------------------------------------------------------ leaving the step
  var dialog = document.getElementById("leave-dialog");

  function ask(proceed) {
    if (!dialog || typeof dialog.showModal !== "function") {
      proceed();
      return;
    }
    function close(choice) {
      dialog.close();
      if (choice === "save") {
        save().then(function (ok) { if (ok) { leaving = true; proceed(); } });
      } else if (choice === "leave") {
        leaving = true;
        clearTimeout(timer);
        proceed();
      }
    }
    dialog.querySelector("#leave-save").onclick = function () { close("save"); };
    dialog.querySelector("#leave-discard").onclick = function () { close("leave"); };
    dialog.querySelector("#leave-stay").onclick = function () { close("stay"); };
    dialog.showModal();
    dialog.querySelector("#leave-save").focus();
  }

  document.addEventListener("click", function (event) {
    if (!dirty || leaving || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("download") || link.target === "_blank") { return; }
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#") { return; }
    event.preventDefault();
    ask(function () { window.location.href = link.href; });
  });

  // Other forms on the page (language switch, sign out): ask first, then send them.
  document.addEventListener("submit", function (event) {
    var other = event.target;
    if (other === form || !dirty || leaving) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    ask(function () { HTMLFormElement.prototype.requestSubmit.call(other, submitter || undefined); });
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !leaving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pagehide", function () {
    if (dirty && !leaving) { save(true); } // the browser's prompt was answered "leave": keep it
  });

  // ------------------------------------------------------------------ sending the step
  var maxUpload = Number(form.getAttribute("data-max-upload") || 0);
  form.addEventListener("submit", function (event) {
    // The server refuses a bigger body before reading it: say so here, before anything is sent.
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { total += f.size; });
    });
    var note = document.getElementById("upload-too-large");
    if (maxUpload && total > maxUpload && note) {
      event.preventDefault();
      note.hidden = false;
      note.focus();
      return;
    }
    clearTimeout(timer);
    timer = null;
    if (flight) {
      // Wait for the save under way, so that the form carries the revision it produced.
      event.preventDefault();
      var submitter = event.submitter;
      flight.then(function () { form.requestSubmit(submitter || undefined); });
      return;
    }
    leaving = true; // the form saves everything it sends
  });

  form.addEventListener("change", function (event) { refresh(); changed(event); });
  form.addEventListener("input", function (event) { refresh(); changed(event); });
  refresh();

  // ------------------------------------------------------------------ step list
  var steps = document.getElementById("step-nav");
  if (steps && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 48.01rem)");
    var place = function () { steps.open = wide.matches; };
    place();
    if (wide.addEventListener) { wide.addEventListener("change", place); }
  }

  var summary = document.getElementById("error-summary") || document.getElementById("conflict");
  if (summary) { summary.focus(); }
}());
