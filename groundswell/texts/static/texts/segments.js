// Counts a text's SMS segments as the organizer types (the preview page counts them on
// the server too; this is a convenience). The same rules as groundswell/texts/segments.py:
// GSM-7 (160, or 153 per part; € [ ] { } ^ ~ \ | take two) or else UCS-2 (70, or 67 per
// part; emoji take two), the organization's name and the stop line included.
(function () {
  "use strict";
  var box = document.querySelector("[data-segments]");
  var out = document.querySelector("[data-segments-out]");
  if (!box || !out) return;
  var basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var extension = "^{}\\[~]|€\f";
  var language = document.querySelector("[name=language]");
  function count(text) {
    var chars = Array.from(text);
    var gsm = chars.every(function (c) { return basic.indexOf(c) >= 0 || extension.indexOf(c) >= 0; });
    var widths = chars.map(function (c) {
      if (gsm) return extension.indexOf(c) >= 0 ? 2 : 1;
      return c.codePointAt(0) > 0xffff ? 2 : 1;
    });
    var single = gsm ? 160 : 70, part = gsm ? 153 : 67;
    var units = widths.reduce(function (a, b) { return a + b; }, 0);
    if (units <= single) return { parts: units ? 1 : 0, gsm: gsm };
    var parts = 1, used = 0;
    widths.forEach(function (w) { if (used + w > part) { parts += 1; used = 0; } used += w; });
    return { parts: parts, gsm: gsm };
  }
  function show() {
    var code = language ? language.value : "en";
    var around = out.getAttribute("data-around-" + code) || out.getAttribute("data-around-en") || "{}";
    var found = count(around.replace("{}", box.value.trim()));
    out.textContent = out.getAttribute(found.gsm ? "data-gsm" : "data-unicode")
      .replace("{n}", String(found.parts));
  }
  box.addEventListener("input", show);
  if (language) language.addEventListener("change", show);
  show();
})();
