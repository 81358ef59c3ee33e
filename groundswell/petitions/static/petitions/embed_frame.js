/* Inside a petition embed: tell the page that frames us how tall we are, so it can size the
 * frame to fit (static/petitions/embed.js listens). The message is the height, a number and
 * nothing else, so "*" as the target is safe: no personal data ever leaves in a message.
 */
(function () {
  "use strict";

  if (window.parent === window) {
    return; // opened on its own: an ordinary page that scrolls
  }
  document.documentElement.classList.add("framed");
  var last = 0;

  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height > 0 && height !== last) {
      last = height;
      window.parent.postMessage(height, "*");
    }
  }

  if ("ResizeObserver" in window) {
    new ResizeObserver(report).observe(document.documentElement);
  }
  window.addEventListener("load", report);
  report();
})();
