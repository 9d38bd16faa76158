/* The dashboard's map in the browser: layers drawn from compact GeoJSON (fetched once and kept
 * by the browser's cache, or written inline in an exported report) on a canvas when there are
 * many, the selection highlighted
 * without rebuilding the map, and what the user chose (view, layers switched off) remembered
 * across reruns and pages. Text in the data arrives escaped by the server. */
(function () {
  "use strict";
  var STORE = "wanfeng-map:";
  var layers = {};
  var selection = {};
  var pending = 0;
  var ICONS = {
    fullscreen: '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2.4">' +
      '<path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/></svg>',
    triPoint: '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2.2">' +
      '<circle cx="12" cy="12" r="6"/><circle cx="12" cy="12" r="1.6" fill="currentColor"/>' +
      '<path d="M12 2v4M12 18v4M2 12h4M18 12h4"/></svg>'
  };

  function remember(name, value) {
    try { localStorage.setItem(STORE + name, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  function recall(name) {
    try { return JSON.parse(localStorage.getItem(STORE + name)); } catch (e) { return null; }
  }

  function dimmed(spec, p) {
    if (!spec.dimmable) return false;
    if (selection.township && p.t && p.t !== selection.township) return true;
    if (selection.industry && p.i && p.i !== selection.industry) return true;
    if (selection.quarter && p.s && p.s > selection.quarter) return true; // not yet there then
    return false;
  }

  function style(spec, feature) {
    var p = feature.properties;
    var faded = dimmed(spec, p);
    var chosen = spec.key === "townships" && selection.township === p.id;
    return {
      color: faded ? "#BBBBBB" : p.c,
      fillColor: faded ? "#DDDDDD" : p.c,
      weight: chosen ? spec.weight + 2.5 : spec.weight,
      opacity: faded ? 0.45 : 0.9,
      fillOpacity: faded ? spec.fillOpacity * 0.4 : spec.fillOpacity,
      dashArray: spec.dash,
      radius: spec.radius,
      stroke: !spec.dense
    };
  }

  function details(spec, p) {
    var rows = "<tr><th colspan='2'>" + p.n + "</th></tr>";
    (p.d || []).forEach(function (value, index) {
      if (value !== null && value !== "") rows += "<tr><td>" + spec.labels[index] + "</td><td>" + value + "</td></tr>";
    });
    if (p.r) rows += "<tr><td colspan='2'><small>" + spec.citation + "</small></td></tr>";
    return "<table class='feature-details'>" + rows + "</table>";
  }

  function drawn(spec, data, group, renderer) {
    var map = window.wanfengMap;
    var features = L.geoJSON(data, {
      renderer: renderer,
      interactive: spec.interactive !== false, // the ground under the map answers no pointer
      style: function (f) { return style(spec, f); },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, Object.assign({ renderer: renderer }, style(spec, f)));
      }
    });
    var shown = features;
    // One handler for the whole layer, not one per feature: tens of thousands draw in time.
    shown.on("mouseover", function (e) {
      if (e.layer.feature && !e.layer.getTooltip()) e.layer.bindTooltip(e.layer.feature.properties.n, { sticky: true }).openTooltip(e.latlng);
    });
    shown.on("click", function (e) {
      if (!e.layer.feature || !map) return;
      L.popup().setLatLng(e.latlng).setContent(details(spec, e.layer.feature.properties)).openOn(map);
      // The map reports where it was clicked: a township click selects the township.
      map.fire("click", { latlng: e.latlng });
    });
    group.addLayer(shown);
  }

  function finished() {
    pending -= 1;
    if (pending === 0) document.body.setAttribute("data-map-drawn", "true");
  }

  /* A published layer: gzipped where the browser can unpack it (a fifth of the bytes). */
  function fetchJSON(url) {
    if (typeof DecompressionStream === "undefined") return fetch(url).then(function (r) { return r.json(); });
    return fetch(url + ".gz").then(function (r) {
      return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json();
    });
  }

  /* One layer of the map: its data from spec.url or spec.data, drawn into group. */
  function addLayer(map, group, spec) {
    layers[spec.key] = { spec: spec, group: group };
    pending += 1;
    // Canvas for many features; otherwise SVG, whose shapes stay crisp and are page elements.
    var renderer = spec.canvas ? L.canvas({ padding: 0.3 }) : L.svg();
    var load = spec.data ? Promise.resolve(spec.data) : fetchJSON(spec.url);
    load.then(function (data) { drawn(spec, data, group, renderer); })
      .catch(function (error) { console.error("map layer " + spec.key, error); })
      .then(finished);
  }

  /* Highlight the selected township and industry; the rest fades. */
  function select(chosen) {
    selection = chosen || {};
    Object.keys(layers).forEach(function (key) {
      var spec = layers[key].spec;
      layers[key].group.eachLayer(function restyle(layer) {
        if (layer.feature && layer.setStyle) layer.setStyle(style(spec, layer.feature));
        else if (layer.eachLayer) layer.eachLayer(restyle);
      });
    });
  }

  /* Fly to a feature found by the search box. */
  function focus(bounds) {
    var map = window.wanfengMap;
    if (map && bounds) map.flyToBounds(bounds, { maxZoom: 15, duration: 0.8 });
  }

  function button(map, position, title, icon, action) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control");
      L.DomEvent.disableClickPropagation(bar);
      var link = L.DomUtil.create("a", "map-button", bar);
      link.href = "#";
      link.title = title;
      link.setAttribute("role", "button");
      link.setAttribute("aria-label", title);
      link.innerHTML = icon;
      L.DomEvent.on(link, "click", function (event) { L.DomEvent.stop(event); action(); });
      return bar;
    };
    control.addTo(map);
  }

  /* Controls and memory: full screen, back to the tri-point; on a page of the dashboard (a
   * place), the view and the layers switched off are kept. */
  function init(map, options) {
    window.wanfengMap = map;
    // Leaflet focuses the map on a press, which scrolls a map partly out of view between press
    // and release: the click then meets what moved under the pointer, not what was pressed.
    var box = map.getContainer();
    box.addEventListener("mousedown", function () { box.focus({ preventScroll: true }); }, true);
    var overlays = options.overlays;
    button(map, "topleft", options.labels.fullscreen, ICONS.fullscreen, function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (box.requestFullscreen) box.requestFullscreen();
    });
    button(map, "topleft", options.labels.triPoint, ICONS.triPoint, function () {
      map.flyTo(options.triPoint, 13, { duration: 0.8 });
    });
    document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });

    if (!options.place) {
      // Shown whole whenever its box changes size: a frame laid out late, a printed page.
      new ResizeObserver(function () {
        map.invalidateSize();
        if (map.getSize().x > 0) map.fitBounds(options.bounds);
      }).observe(map.getContainer());
      return;
    }
    var off = recall("off") || [];
    Object.keys(overlays).forEach(function (key) {
      if (off.indexOf(key) >= 0) map.removeLayer(overlays[key]);
    });
    function switched(event, on) {
      var key = Object.keys(overlays).find(function (k) { return overlays[k] === event.layer; });
      if (!key) return;
      var now = (recall("off") || []).filter(function (k) { return k !== key; });
      if (!on) now.push(key);
      remember("off", now);
    }
    map.on("overlayadd", function (e) { switched(e, true); });
    map.on("overlayremove", function (e) { switched(e, false); });

    var view = recall("view:" + options.place);
    if (view) map.setView(view.center, view.zoom, { animate: false });
    else map.fitBounds(options.bounds);
    map.on("moveend", function () {
      var c = map.getCenter();
      remember("view:" + options.place, { center: [c.lat, c.lng], zoom: map.getZoom() });
    });
  }

  window.WanfengMap = { addLayer: addLayer, select: select, focus: focus, init: init };
})();
