// Drawing a turf on the organizer's turf map: each click on the map adds a point of
// the polygon, shown over the map; the points go to the form as "lon,lat" pairs
// (groundswell.canvass.turfmap puts the projection's figures on the <svg>). Without
// this script the form still takes the doors' codes.
(function () {
  "use strict";
  var svg = document.querySelector("svg.turf-map");
  var form = document.getElementById("draw-form");
  if (!svg || !form || !svg.createSVGPoint) return;
  var field = form.querySelector("input[name=polygon]");
  var count = document.getElementById("draw-count");
  var NS = "http://www.w3.org/2000/svg";
  var west = parseFloat(svg.dataset.west), north = parseFloat(svg.dataset.north);
  var kx = parseFloat(svg.dataset.xScale), ky = parseFloat(svg.dataset.yScale);
  var points = [];  // [x, y] in the map's own units
  var shape = document.createElementNS(NS, "polygon");
  shape.setAttribute("fill", "#1d4f91");
  shape.setAttribute("fill-opacity", "0.2");
  shape.setAttribute("stroke", "#1d4f91");
  shape.setAttribute("stroke-width", "2");
  shape.setAttribute("pointer-events", "none");
  svg.appendChild(shape);
  form.querySelectorAll("[hidden]").forEach(function (el) { el.hidden = false; });
  svg.style.cursor = "crosshair";

  function show() {
    shape.setAttribute("points", points.map(function (p) { return p[0] + "," + p[1]; }).join(" "));
    field.value = points.map(function (p) {
      return (west + p[0] / kx).toFixed(6) + "," + (north - p[1] / ky).toFixed(6);
    }).join(" ");
    count.textContent = points.length ? count.dataset.label + " " + points.length : "";
  }

  svg.addEventListener("click", function (event) {
    var at = svg.createSVGPoint();
    at.x = event.clientX;
    at.y = event.clientY;
    var local = at.matrixTransform(svg.getScreenCTM().inverse());
    points.push([Math.round(local.x * 10) / 10, Math.round(local.y * 10) / 10]);
    show();
  });
  document.getElementById("draw-undo").addEventListener("click", function () {
    points.pop();
    show();
  });
  document.getElementById("draw-clear").addEventListener("click", function () {
    points = [];
    show();
  });
})();
