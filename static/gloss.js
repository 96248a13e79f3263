// gloss: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Filter boxes: <input data-filter="CSS selector"> hides the matching
  // elements whose data-name (or text) does not contain what was typed.
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var items = Array.prototype.slice.call(document.querySelectorAll(input.getAttribute("data-filter")));
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      items.forEach(function (item) {
        var hay = (item.getAttribute("data-name") || item.textContent).toLowerCase();
        item.hidden = needle !== "" && hay.indexOf(needle) === -1;
      });
    });
  });
})();
