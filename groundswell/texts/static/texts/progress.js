// Keeps a text's figures and progress bar current while it sends (the page works
// without it: reload to see them). Polls the text's progress.json every 2 s.
(function () {
  "use strict";
  var box = document.querySelector("[data-text-progress][data-working]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-text-progress");
  var bar = box.querySelector("[data-percent]");
  var state = document.querySelector("[data-text-state]");
  function show(data) {
    Object.keys(data).forEach(function (name) {
      var cell = box.querySelector('[data-figure="' + name + '"]');
      if (cell) cell.textContent = Number(data[name]).toLocaleString(document.documentElement.lang || undefined);
    });
    if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
    if (state && data.state_label) state.textContent = data.state_label;
    var done = data.state !== "sending";
    if (done) {
      document.querySelectorAll("[data-while=sending]").forEach(function (form) { form.hidden = true; });
    }
    return done;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (!data || !show(data)) window.setTimeout(poll, 2000); })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
