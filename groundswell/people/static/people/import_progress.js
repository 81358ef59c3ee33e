// The import page while the worker imports: fetch the page every two seconds and show
// its progress; once the import is no longer running, load the whole page (results).
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box || !window.fetch || !window.DOMParser) return;
  function poll() {
    fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelector("[data-import-progress]");
        if (!fresh || !fresh.hasAttribute("data-working")) {
          window.location.reload();
          return;
        }
        box.innerHTML = fresh.innerHTML;
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
