/* The dashboard's map in the browser: layers drawn from compact GeoJSON (fetched once and kept
 * by the browser's cache, or written inline in an exported report) on a canvas when there are
 * many, a dense layer as counts per hexagon zoomed out and as the tiles of the view zoomed in,
 * the selection highlighted without rebuilding the map, and what the user chose (view, layers
 * switched off) remembered across reruns and pages. Text in the data arrives escaped by the
 * server. */
(function () {
  "use strict";
  var STORE = "wanfeng-map:";
  var DENSE_PANE = "wanfeng-dense";
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
    if (p.k) return densityStyle(spec, p);
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

  /* How many of a hexagon's features the selection leaves: its counts by township, industry
   * and first quarter, each faded as a feature of those would be. */
  function counted(spec, p) {
    return p.k.reduce(function (sum, row) {
      return dimmed(spec, { t: row[0], i: row[1], s: row[2] }) ? sum : sum + row[3];
    }, 0);
  }

  /* A hexagon darker (or a circle larger) the more it holds, of the most any holds. */
  function densityStyle(spec, p) {
    var n = counted(spec, p), share = Math.sqrt(n / Math.max(p.m, 1)), d = spec.density;
    return {
      color: n ? d.colour : "#BBBBBB",
      fillColor: n ? d.colour : "#DDDDDD",
      weight: d.area ? 0.5 : 0.8,
      opacity: n ? (d.area ? 0.3 : 0.7) : 0.3,
      fillOpacity: n ? (d.area ? 0.05 + 0.4 * share : 0.5) : 0.1,
      radius: d.area ? 0 : 2 + 9 * share
    };
  }

  function name(spec, p) {
    return p.k ? spec.density.count.replace("{n}", counted(spec, p)) : p.n;
  }

  function details(spec, p) {
    if (p.k) return "<table class='feature-details'><tr><th>" + name(spec, p) + "</th></tr><tr><td>" +
      spec.density.hint + "</td></tr></table>";
    var rows = "<tr><th colspan='2'>" + p.n + "</th></tr>";
    (p.d || []).forEach(function (value, index) {
      if (value !== null && value !== "") rows += "<tr><td>" + spec.labels[index] + "</td><td>" + value + "</td></tr>";
    });
    if (p.r) rows += "<tr><td colspan='2'><small>" + spec.citation + "</small></td></tr>";
    return "<table class='feature-details'>" + rows + "</table>";
  }

  function drawn(spec, data, renderer) {
    var map = window.wanfengMap;
    var shown = L.geoJSON(data, {
      renderer: renderer,
      interactive: spec.interactive !== false, // the ground under the map answers no pointer
      style: function (f) { return style(spec, f); },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, Object.assign({ renderer: renderer }, style(spec, f)));
      }
    });
    // One handler for the whole layer, not one per feature: tens of thousands draw in time.
    shown.on("mouseover", function (e) {
      if (!e.layer.feature) return;
      var text = name(spec, e.layer.feature.properties);
      if (e.layer.getTooltip()) e.layer.setTooltipContent(text);
      else e.layer.bindTooltip(text, { sticky: true }).openTooltip(e.latlng);
    });
    shown.on("click", function (e) {
      if (!e.layer.feature || !map) return;
      L.popup().setLatLng(e.latlng).setContent(details(spec, e.layer.feature.properties)).openOn(map);
      // The map reports where it was clicked: a township click selects the township.
      map.fire("click", { latlng: e.latlng });
    });
    return shown;
  }

  function finished() {
    pending -= 1;
    if (pending === 0) document.body.setAttribute("data-map-drawn", "true");
  }

  /* Something to fetch before the map is drawn again: the page can tell when it is. */
  function waitFor(promise) {
    pending += 1;
    document.body.setAttribute("data-map-drawn", "false");
    return promise.catch(function (error) { console.error("map layer", error); }).then(finished);
  }

  /* A published layer: gzipped where the browser can unpack it (a fifth of the bytes). */
  function fetchJSON(url) {
    if (typeof DecompressionStream === "undefined") return fetch(url).then(function (r) { return r.json(); });
    return fetch(url + ".gz").then(function (r) {
      return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json();
    });
  }

  /* A part of a layer fetched once, drawn while wanted() holds. */
  function part(url, spec, group, renderer) {
    var piece = { layer: null, loading: null, data: null };
    piece.fetch = function () {
      if (!piece.data) piece.data = fetchJSON(url);
      return piece.data;
    };
    piece.show = function (wanted) {
      if (piece.layer) {
        // Styled again: the selection may have changed while it was off the map.
        if (!group.hasLayer(piece.layer)) group.addLayer(restyled(spec, piece.layer));
        return null;
      }
      if (!piece.loading) {
        piece.loading = piece.fetch().then(function (data) {
          piece.layer = drawn(spec, data, renderer);
          if (wanted()) group.addLayer(piece.layer);
        });
      }
      return piece.loading;
    };
    piece.hide = function () { if (piece.layer && group.hasLayer(piece.layer)) group.removeLayer(piece.layer); };
    return piece;
  }

  /* A dense layer: below detailFrom the hexagons of the zoom's level, from it the tiles the view
   * reaches; drawn again after every move. */
  function addDense(map, group, spec, renderer) {
    var d = spec.density;
    var levels = d.levels.map(function (level) {
      return Object.assign(part(level.url, spec, group, renderer), { from: level.from });
    });
    var tiles = d.tiles.map(function (tile) {
      return Object.assign(part(tile.url, spec, group, renderer), { bounds: L.latLngBounds(tile.bounds) });
    });
    function level() {
      var zoom = map.getZoom();
      return zoom >= d.detailFrom ? null : levels.filter(function (l) { return zoom >= l.from; }).pop();
    }
    function inView(tile) { return level() === null && map.getBounds().pad(0.1).intersects(tile.bounds); }
    function update() {
      var chosen = level(), work = [];
      levels.forEach(function (l) {
        if (l !== chosen) l.hide();
        else work.push(l.show(function () { return level() === l; }));
      });
      tiles.forEach(function (tile) {
        if (!inView(tile)) tile.hide();
        else work.push(tile.show(function () { return inView(tile); }));
      });
      work = work.filter(Boolean);
      return work.length ? waitFor(Promise.all(work)) : null;
    }
    // The counts of every zoom are small: all fetched at once, while the first view is not yet known.
    levels.forEach(function (l) { l.fetch(); });
    var entry = { spec: spec, group: group, detail: function () { return level() === null; } };
    // Drawn first once init has set the map's first view (it runs after the layers are added):
    // not for the view the map was made with, which nobody sees.
    var started = new Promise(function (resolve) { entry.start = resolve; });
    waitFor(started.then(function () {
      map.on("moveend", update);
      return update();
    }));
    layers[spec.key] = entry;
  }

  /* The first view is set: dense layers draw what it shows. */
  function viewSet() {
    Object.keys(layers).forEach(function (key) { if (layers[key].start) layers[key].start(); });
  }

  function densePane(map) {
    if (!map.getPane(DENSE_PANE)) map.createPane(DENSE_PANE).style.zIndex = 450; // overlays 400, names 600
    return DENSE_PANE;
  }

  /* One layer of the map: its data from spec.url or spec.data, drawn into group; a dense one
   * from spec.density. */
  function addLayer(map, group, spec) {
    // Canvas for many features; otherwise SVG, whose shapes stay crisp and are page elements.
    // The canvas lies above the outlines of the lake and the townships, or a click on a site
    // within them would reach them instead.
    var renderer = spec.canvas ? L.canvas({ padding: 0.3, pane: densePane(map) }) : L.svg();
    if (spec.density) return addDense(map, group, spec, renderer);
    layers[spec.key] = { spec: spec, group: group };
    var load = spec.data ? Promise.resolve(spec.data) : fetchJSON(spec.url);
    waitFor(load.then(function (data) { group.addLayer(drawn(spec, data, renderer)); }));
  }

  /* What a layer shows now: whether each feature is drawn (or how many there are per hexagon),
   * how many shapes, and how many of them the selection leaves in colour. */
  function shown(key) {
    var entry = layers[key];
    if (!entry) return null;
    var spec = entry.spec, features = 0, highlighted = 0;
    entry.group.eachLayer(function (layer) {
      (layer.getLayers ? layer.getLayers() : []).forEach(function (inner) {
        var p = inner.feature.properties;
        features += 1;
        if (p.k ? counted(spec, p) > 0 : !dimmed(spec, p)) highlighted += 1;
      });
    });
    return { detail: entry.detail ? entry.detail() : true, features: features, highlighted: highlighted };
  }

  /* Every feature under ``layer`` styled for the selection; ``layer`` itself. */
  function restyled(spec, layer) {
    if (layer.feature && layer.setStyle) layer.setStyle(style(spec, layer.feature));
    else if (layer.eachLayer) layer.eachLayer(function (inner) { restyled(spec, inner); });
    return layer;
  }

  /* Highlight the selected township and industry; the rest fades. */
  function select(chosen) {
    selection = chosen || {};
    Object.keys(layers).forEach(function (key) { restyled(layers[key].spec, layers[key].group); });
  }

  /* Fly to a feature found by the search box and open its details as a click would: the way
   * to them from the keyboard. */
  function focus(found) {
    var map = window.wanfengMap;
    if (!map || !found) return;
    map.once("moveend", function () { openDetails(found, 25); });
    map.flyToBounds(found.bounds, { maxZoom: 15, duration: 0.8 });
  }

  /* The details of a feature, once it is drawn (a dense layer's tile may still be on its way). */
  function openDetails(found, tries) {
    var map = window.wanfengMap, entry = layers[found.layer], hit = null;
    function visit(layer) {
      if (hit) return;
      if (layer.feature && layer.feature.properties.id === found.id) hit = layer;
      else if (layer.eachLayer) layer.eachLayer(visit);
    }
    if (entry) entry.group.eachLayer(visit);
    if (!hit) {
      if (tries > 0) setTimeout(function () { openDetails(found, tries - 1); }, 200);
      return;
    }
    var at = hit.getLatLng ? hit.getLatLng() : hit.getBounds().getCenter();
    L.popup().setLatLng(at).setContent(details(entry.spec, hit.feature.properties)).openOn(map);
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
    // folium's page forbids zooming it (user-scalable=no): a reader who needs larger text must
    // be able to zoom the map's page on a phone as any other (WCAG 2.1, 1.4.4).
    document.querySelectorAll('meta[name="viewport"]').forEach(function (meta) {
      meta.setAttribute("content", "width=device-width, initial-scale=1");
    });
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
        if (map.getSize().x > 0) { map.fitBounds(options.bounds); viewSet(); }
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
    viewSet();
    map.on("moveend", function () {
      var c = map.getCenter();
      remember("view:" + options.place, { center: [c.lat, c.lng], zoom: map.getZoom() });
    });
  }

  window.WanfengMap = { addLayer: addLayer, select: select, focus: focus, init: init, shown: shown };
})();
