/* Groundswell petition embed: puts a petition's sign form on another website.
 *
 * The one line organizers paste (the petition dashboard shows it):
 *   <script src="https://SITE/static/petitions/embed.js" data-petition="https://SITE/petitions/SLUG/embed/" async></script>
 * puts the form right where the script is. Or place any number of
 *   <div data-groundswell-petition="https://SITE/petitions/SLUG/embed/"></div>
 * and include the script once. Optional: data-title (the frame's name for screen readers).
 *
 * It creates an iframe and resizes it to the height the framed page reports with
 * postMessage, accepting only a number from that very frame and origin. It sets no
 * cookie, loads nothing else, and reads nothing from the host page.
 */
(function () {
  "use strict";

  var INITIAL_HEIGHT = 640;
  var MAX_HEIGHT = 20000;
  var frames = [];

  function createFrame(url, title) {
    var src;
    try {
      src = new URL(url, document.baseURI);
    } catch (error) {
      return null;
    }
    if (src.protocol !== "https:" && src.protocol !== "http:") {
      return null;
    }
    var iframe = document.createElement("iframe");
    iframe.src = src.href;
    iframe.title = title || "Sign the petition";
    // Scripts and forms in the frame, links opening new tabs; never the host page's top.
    iframe.setAttribute(
      "sandbox",
      "allow-forms allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
    );
    iframe.setAttribute("data-groundswell-frame", "");
    iframe.style.display = "block";
    iframe.style.width = "100%";
    iframe.style.border = "0";
    iframe.style.height = INITIAL_HEIGHT + "px";
    frames.push({ iframe: iframe, origin: src.origin });
    return iframe;
  }

  function resize(event) {
    var height = event.data;
    if (typeof height !== "number" || !isFinite(height) || height <= 0) {
      return;
    }
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (event.source === frame.iframe.contentWindow && event.origin === frame.origin) {
        var before = frame.iframe.getBoundingClientRect().height;
        var after = Math.min(Math.ceil(height), MAX_HEIGHT);
        frame.iframe.style.height = after + "px";
        // After signing the frame shrinks to its message: keep that message in view.
        if (after < before && frame.iframe.getBoundingClientRect().top < 0) {
          frame.iframe.scrollIntoView();
        }
        return;
      }
    }
  }

  window.addEventListener("message", resize);

  var script = document.currentScript;
  if (script && script.getAttribute("data-petition") && !script.hasAttribute("data-groundswell-done")) {
    script.setAttribute("data-groundswell-done", "");
    var frame = createFrame(script.getAttribute("data-petition"), script.getAttribute("data-title"));
    if (frame) {
      script.parentNode.insertBefore(frame, script.nextSibling);
    }
  }

  function fillPlaceholders() {
    var placeholders = document.querySelectorAll("[data-groundswell-petition]");
    for (var i = 0; i < placeholders.length; i++) {
      var placeholder = placeholders[i];
      if (placeholder.hasAttribute("data-groundswell-done")) {
        continue;
      }
      placeholder.setAttribute("data-groundswell-done", "");
      var made = createFrame(
        placeholder.getAttribute("data-groundswell-petition"),
        placeholder.getAttribute("data-title")
      );
      if (made) {
        placeholder.appendChild(made);
      }
    }
  }

  fillPlaceholders();
  if (document.readyState === "loading") {
    // An async script can run before the rest of the page is parsed.
    document.addEventListener("DOMContentLoaded", fillPlaceholders);
  }
})();
