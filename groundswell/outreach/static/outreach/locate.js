/* "Use my location" on an outreach action's address form: asks the browser for the
 * phone's position, puts it in the form's lat/lon fields and sends the form. Without
 * JavaScript (or without permission) the address fields do the same job. Nothing is
 * sent anywhere but this site's own form.
 */
(function () {
  "use strict";

  var forms = document.querySelectorAll(".locate-form");
  for (var i = 0; i < forms.length; i++) {
    (function (form) {
      var button = form.querySelector("[data-use-location]");
      var status = form.querySelector("[data-location-status]");
      if (!button || !("geolocation" in navigator)) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(6);
            form.querySelector("[name=lon]").value = position.coords.longitude.toFixed(6);
            form.submit();
          },
          function () {
            button.disabled = false;
            if (status) {
              status.textContent = button.getAttribute("data-failed") || "";
            }
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    })(forms[i]);
  }
})();
