/* The network map: Cytoscape.js 3.35.0 (MIT, vendor/) draws the partners and ratings read
   from the map's JSON endpoint, with the filter form's values in its query string. Changing
   a filter fetches the data again and redraws both the map and the table beside it, which
   holds the same partners and measures for screen readers and keyboards. */
(function () {
  "use strict";

  var LEVEL_STYLE = {
    1: { width: 1, style: "dotted", colour: "#8a96a3" },
    2: { width: 1.5, style: "dashed", colour: "#5b6875" },
    3: { width: 2.5, style: "solid", colour: "#3d4a57" },
    4: { width: 4, style: "solid", colour: "#1b1f24" }
  };
  var MANY_EDGES = 1500; // beyond this, straight lines without arrows keep the map quick
  var cy = null;

  // Figures in the page's language: "0,42" in French, "0.42" in English.
  function fmt(value, digits) {
    if (value === null || value === undefined) { return "—"; }
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: digits, maximumFractionDigits: digits
    }).format(value);
  }

  function sizeBy(nodes, measure) {
    var values = nodes.map(function (n) { return n[measure]; }).filter(function (v) { return v !== null; });
    var low = Math.min.apply(null, values.concat([0]));
    var high = Math.max.apply(null, values.concat([0]));
    nodes.forEach(function (n) {
      var v = n[measure];
      n.size = v === null || high === low ? 22 : 16 + 40 * (v - low) / (high - low);
    });
  }

  function styles(manyEdges) {
    var list = [
      { selector: "node", style: {
        "background-color": "data(colour)", "border-color": "#1b1f24", "border-width": 1.5,
        width: "data(size)", height: "data(size)", label: "data(label)", color: "#1b1f24",
        "font-size": 10, "text-wrap": "wrap", "text-max-width": 90, "text-valign": "bottom",
        "text-margin-y": 3, "min-zoomed-font-size": 7
      } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#f0a202" } },
      { selector: "edge", style: {
        "curve-style": manyEdges ? "haystack" : "bezier", opacity: 0.8,
        "target-arrow-shape": manyEdges ? "none" : "triangle", "arrow-scale": 0.7
      } }
    ];
    Object.keys(LEVEL_STYLE).forEach(function (level) {
      var s = LEVEL_STYLE[level];
      list.push({ selector: "edge[level = " + level + "]", style: {
        width: s.width, "line-style": s.style, "line-color": s.colour, "target-arrow-color": s.colour
      } });
    });
    return list;
  }

  function cell(row, text, numeric, header) {
    var el = document.createElement(header ? "th" : "td");
    if (header) { el.scope = "row"; }
    if (numeric) { el.className = "num"; }
    el.textContent = text;
    row.appendChild(el);
  }

  function fillTable(data) {
    var body = document.querySelector("#map-table tbody");
    body.replaceChildren();
    data.nodes.forEach(function (n) {
      var row = document.createElement("tr");
      cell(row, n.label, false, true);
      cell(row, n.sector_label);
      cell(row, n.group === null ? "—" : String(n.group), true);
      cell(row, String(n.lines), true);
      cell(row, fmt(n.degree, 2), true);
      cell(row, fmt(n.betweenness, 3), true);
      cell(row, fmt(n.closeness, 2), true);
      cell(row, n.trust === null ? "—" : fmt(n.trust, 1) + "%", true);
      body.appendChild(row);
    });
  }

  function fillLegend(data) {
    var legend = document.getElementById("map-sectors");
    legend.replaceChildren();
    data.sectors.forEach(function (s) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch sector-" + s.key;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.label));
      legend.appendChild(item);
    });
  }

  // The sentences come written in the reader's language with the data (network/views.py).
  function fillStatus(data) {
    document.getElementById("map-status").textContent = data.status;
  }

  function draw(container, data) {
    var measure = container.dataset.size || "degree";
    sizeBy(data.nodes, measure);
    var elements = data.nodes.map(function (n) { return { group: "nodes", data: n }; })
      .concat(data.edges.map(function (e) { return { group: "edges", data: e }; }));
    if (cy) { cy.destroy(); }
    cy = cytoscape({
      container: container,
      elements: elements,
      style: styles(data.edges.length > MANY_EDGES),
      layout: {
        name: "cose", animate: false, randomize: true, nodeDimensionsIncludeLabels: true,
        padding: 24, idealEdgeLength: 90, nodeRepulsion: 600000, nodeOverlap: 12, gravity: 0.3,
        numIter: 1500
      },
      boxSelectionEnabled: false,
      minZoom: 0.2,
      maxZoom: 4
    });
    if (cy.zoom() > 1.5) { cy.zoom(1.5); cy.center(); } // a few partners are not blown up
    cy.on("tap", "node", function (event) {
      document.getElementById("map-selected").textContent = event.target.data().description;
    });
    container.dataset.nodes = String(cy.nodes().length);
    container.dataset.edges = String(cy.edges().length);
    container.dataset.rendered = "true";
    container.data = data;
  }

  function query(form) {
    var params = new URLSearchParams(new FormData(form));
    return params.toString();
  }

  var latest = 0; // only the answer to the latest request is drawn, whatever order they arrive in

  function load(container, form) {
    var q = query(form);
    var mine = ++latest;
    container.dataset.rendered = "false";
    return fetch(container.dataset.url + "?" + q, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(container.dataset.error + " (" + response.status + ")"); }
        return response.json();
      })
      .then(function (data) {
        if (mine !== latest) { return; }
        draw(container, data);
        fillTable(data);
        fillLegend(data);
        fillStatus(data);
        history.replaceState(null, "", window.location.pathname + "?" + q);
      })
      .catch(function (error) {
        if (mine !== latest) { return; }
        document.getElementById("map-status").textContent = error.message;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("network-map");
    var form = document.getElementById("map-filters");
    if (!container || !form || typeof cytoscape === "undefined") { return; }
    form.addEventListener("change", function (event) {
      if (event.target.name === "size") {
        container.dataset.size = event.target.value;
        if (cy && container.data) {
          sizeBy(container.data.nodes, event.target.value);
          container.data.nodes.forEach(function (n) { cy.getElementById(n.id).data("size", n.size); });
        }
        history.replaceState(null, "", window.location.pathname + "?" + query(form));
        return;
      }
      load(container, form);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load(container, form);
    });
    load(container, form);
  });
})();
