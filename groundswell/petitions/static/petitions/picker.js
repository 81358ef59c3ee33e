// The decision maker picker, enhanced: a search box above each list narrows its
// options to the names and offices typed (the list alone works without JavaScript,
// and a browser's list already jumps to what is typed on it).
(function () {
  "use strict";
  document.querySelectorAll("select[data-filter-label]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-filter";
    box.setAttribute("aria-label", select.getAttribute("data-filter-label"));
    box.setAttribute("aria-controls", select.id);
    box.placeholder = select.getAttribute("data-filter-label");
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      select.querySelectorAll("option").forEach(function (option) {
        var text = option.textContent.toLowerCase();
        option.hidden = option.value !== "" && !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    });
  });
})();
