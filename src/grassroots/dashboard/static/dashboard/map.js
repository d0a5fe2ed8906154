/* 一张图: grid polygons coloured by one figure, open cases as points, click a grid → its page.
   Township names show when zoomed out, community and village names when zoomed in.
   Works on a blank canvas; a configured tile URL (MAP_TILE_URL) is drawn underneath. */
(function () {
  "use strict";
  var holder = document.getElementById("gridmap");
  var source = document.getElementById("map-config");
  if (!holder || !source || typeof window.L === "undefined") { return; }
  var config = JSON.parse(source.textContent);
  var L = window.L;
  var map = L.map(holder, { zoomSnap: 0.25, preferCanvas: false });
  map.attributionControl.setPrefix("Leaflet");
  // Zooms at which each level's names are shown: [from, below].
  var LABEL_ZOOMS = { township: [0, 12.5], community: [12, 99], village: [11, 99] };
  if (config.tiles) { L.tileLayer(config.tiles, { maxZoom: 18 }).addTo(map); }
  var COLOURS = ["#fef3c7", "#fde68a", "#fdba74", "#f87171", "#b91c1c"];
  var GOOD_HIGH = { satisfaction: true };
  function colour(value, max) {
    if (value === null || value === undefined) { return "#e5e7eb"; }
    var share = max > 0 ? value / max : 0;
    if (GOOD_HIGH[config.figure]) { share = 1 - value; }
    var i = Math.min(COLOURS.length - 1, Math.max(0, Math.floor(share * COLOURS.length)));
    return COLOURS[i];
  }
  function pct(v) { return v === null || v === undefined ? "–" : (Math.round(v * 1000) / 10) + "%"; }
  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text === null || text === undefined ? "" : String(text);
    return div.innerHTML;
  }
  fetch(config.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var grids = data.features.filter(function (f) { return f.properties.kind === "grid"; });
      var max = 0;
      grids.forEach(function (f) {
        var v = f.properties[config.figure];
        if (v !== null && v > max) { max = v; }
      });
      if (config.figure !== "per_household") { max = 1; }
      var layer = L.geoJSON(data, {
        style: function (f) {
          var bad = f.properties.unhealthy && f.properties.unhealthy.length;
          return {
            color: bad ? "#b91c1c" : "#475569", weight: bad ? 3 : 1,
            fillColor: colour(f.properties[config.figure], max), fillOpacity: 0.75
          };
        },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {
            radius: 5, color: f.properties.overdue ? "#b91c1c" : "#1d4ed8", weight: 1, fillOpacity: 0.9
          });
        },
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          if (p.kind === "grid") {
            lyr.bindTooltip(
              "<b>" + escape(p.name) + "</b><br>户数 " + p.households + " · 登记 " + p.received +
              "<br>每户 " + (p.per_household === null ? "–" : p.per_household) +
              " · 超期占比 " + pct(p.overdue_share) + " · 满意率 " + pct(p.satisfaction)
            );
            lyr.on("click", function () { window.location.href = p.url; });
          } else {
            lyr.bindPopup('<a href="' + escape(p.url) + '">' + escape(p.name) + "</a> " + escape(p.matter));
          }
        }
      }).addTo(map);
      var labels = {};
      (data.labels || []).forEach(function (a) {
        var group = labels[a.level] || (labels[a.level] = L.layerGroup());
        L.marker([a.lat, a.lon], {
          interactive: false, keyboard: false,
          icon: L.divIcon({ className: "map-label map-label-" + a.level, html: "<span>" + escape(a.name) + "</span>", iconSize: null })
        }).addTo(group);
      });
      function showLabels() {
        var z = map.getZoom();
        Object.keys(labels).forEach(function (level) {
          var range = LABEL_ZOOMS[level] || [0, 99];
          var wanted = z >= range[0] && z < range[1];
          if (wanted && !map.hasLayer(labels[level])) { labels[level].addTo(map); }
          if (!wanted && map.hasLayer(labels[level])) { map.removeLayer(labels[level]); }
        });
      }
      map.on("zoomend", showLabels);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); } else { map.setView([37, 110.8], 10); }
      showLabels();
    });
})();
