// Two small enhancements of the petition pages; both work without JavaScript.
// - "Select all" ticks every co-sponsor's box (hidden until this script runs: without it,
//   each box is ticked by hand).
// - "Copy link" copies the share link to the clipboard (without it, the link opens the
//   petition's page at its shared address, which can be copied from the address bar).
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      button.closest("fieldset").querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = true;
      });
    });
  });
  document.querySelectorAll("[data-copy-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard) return;
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(function () {
        var status = document.getElementById(link.getAttribute("aria-describedby"));
        if (status) status.textContent = link.getAttribute("data-copied");
      }, function () {
        window.location.href = link.href;
      });
    });
  });
})();
