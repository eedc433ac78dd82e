// Choose a point by tapping the kommun map (EST report form). Progressive enhancement:
// without JavaScript the map stays hidden and the place list and the coordinate fields
// work as before. The projection comes from data attributes on the <svg>
// (reports/maps.py picker_map); no inline script (CSP script-src 'self').
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function number(svg, name) { return parseFloat(svg.getAttribute("data-" + name)); }

  function toPoint(svg, x, y) {
    var margin = number(svg, "margin"), scale = number(svg, "scale");
    return {
      lat: number(svg, "north") - (y - margin) / scale,
      lon: number(svg, "west") + (x - margin) / (number(svg, "kx") * scale)
    };
  }

  function toXY(svg, lat, lon) {
    var margin = number(svg, "margin"), scale = number(svg, "scale");
    return {
      x: margin + (lon - number(svg, "west")) * number(svg, "kx") * scale,
      y: margin + (number(svg, "north") - lat) * scale
    };
  }

  function mark(svg, x, y) {
    var marker = svg.querySelector(".picker-marker");
    if (!marker) {
      marker = document.createElementNS(SVG, "circle");
      marker.setAttribute("class", "picker-marker");
      marker.setAttribute("r", "7");
      marker.setAttribute("fill", "#b3261e");
      marker.setAttribute("stroke", "#fff");
      marker.setAttribute("stroke-width", "2");
      svg.appendChild(marker);
    }
    marker.setAttribute("cx", x.toFixed(1));
    marker.setAttribute("cy", y.toFixed(1));
  }

  function setUp(box) {
    var svg = box.querySelector("svg.place-picker");
    var lat = document.getElementById(box.getAttribute("data-latitude"));
    var lon = document.getElementById(box.getAttribute("data-longitude"));
    var status = box.querySelector(".picker-status");
    if (!svg || !lat || !lon) { return; }
    box.hidden = false;
    if (lat.value && lon.value) {
      var at = toXY(svg, parseFloat(lat.value), parseFloat(lon.value));
      mark(svg, at.x, at.y);
    }
    svg.addEventListener("click", function (event) {
      var rect = svg.getBoundingClientRect();
      var box = svg.viewBox.baseVal;
      var x = (event.clientX - rect.left) * box.width / rect.width;
      var y = (event.clientY - rect.top) * box.height / rect.height;
      var point = toPoint(svg, x, y);
      // Four decimals (about 10 m); the server stores the ~300 m square around it.
      lat.value = point.lat.toFixed(4);
      lon.value = point.lon.toFixed(4);
      lat.dispatchEvent(new Event("change", { bubbles: true }));
      mark(svg, x, y);
      if (status) {
        status.textContent = status.getAttribute("data-chosen")
          .replace("{lat}", lat.value.replace(".", ","))
          .replace("{lon}", lon.value.replace(".", ","));
      }
    });
  }

  var boxes = document.querySelectorAll(".place-map[data-latitude]");
  for (var i = 0; i < boxes.length; i++) { setUp(boxes[i]); }
})();
