/* Shows and hides questions whose condition reads answers on the same step (the server checks
   the same conditions; without script every such question stays visible). */
(function () {
  "use strict";
  var form = document.getElementById("wizard-form");
  if (!form) { return; }
  var saved = {};
  var node = document.getElementById("wizard-answers");
  if (node) { try { saved = JSON.parse(node.textContent) || {}; } catch (e) { saved = {}; } }
  var prefix = (form.querySelector("input[name$='current_step']") || {}).value || "";

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
  // The server refuses a bigger body before reading it: say so here, before anything is sent.
  var maxUpload = Number(form.getAttribute("data-max-upload") || 0);
  form.addEventListener("submit", function (event) {
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { total += f.size; });
    });
    var note = document.getElementById("upload-too-large");
    if (maxUpload && total > maxUpload && note) {
      event.preventDefault();
      note.hidden = false;
      note.focus();
    }
  });
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
  var summary = document.getElementById("error-summary") || document.getElementById("conflict");
  if (summary) { summary.focus(); }
}());
