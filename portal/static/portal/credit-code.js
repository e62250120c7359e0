// Region from the credit code: when a code is typed and no region has been chosen yet, select
// the region its characters 3–8 name (the division itself, else its city). The server does the
// same when the region is left empty, and flags a region chosen differently for verification.
(function () {
  "use strict";
  function normalise(text) {
    return (text || "").normalize("NFKC").toUpperCase().replace(/[\s\-_\u200b-\u200d\u2060\ufeff]/g, "");
  }
  document.querySelectorAll("input[data-region-target]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-region-target"));
    if (!select) return;
    var chosenByCode = "";
    function update() {
      var code = normalise(input.value);
      if (code.length < 8 || !/^\d{6}$/.test(code.slice(2, 8))) return;
      if (select.value && select.value !== chosenByCode) return; // the user chose one
      var division = code.slice(2, 8);
      var candidates = [division, division.slice(0, 4) + "00"];
      for (var i = 0; i < candidates.length; i++) {
        var option = select.querySelector('option[value="' + candidates[i] + '"]');
        if (option) {
          select.value = candidates[i];
          chosenByCode = candidates[i];
          return;
        }
      }
    }
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
})();
