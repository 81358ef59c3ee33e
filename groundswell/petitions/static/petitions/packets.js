// The dashboard's delivery packets follow their progress without a reload: while one is
// being made, the list is fetched again every few seconds and swapped in (announced
// politely to screen readers). Without JavaScript the "Refresh" link does the same.
(function () {
  "use strict";
  var DELAY = 3000;
  function list() {
    return document.getElementById("packet-list");
  }
  function poll() {
    var current = list();
    if (!current || !current.querySelector("progress")) {
      return;
    }
    window.setTimeout(function () {
      fetch(window.location.pathname, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("packet-list");
          if (fresh && list()) {
            list().replaceWith(fresh);
          }
          poll();
        })
        .catch(function () {
          window.setTimeout(poll, DELAY * 3);
        });
    }, DELAY);
  }
  poll();
})();
