// The ally network on the ally map: cytoscape.js fed by the coalition's graph
// JSON (compact keys: n nodes {i id, l label, t type, s stance, f influence,
// u url}; e edges [source, target, kind]). Selecting a node opens its record.
// The instance is exposed as window.allyGraph for tests and the console.
(function () {
  "use strict";

  var STANCE_COLORS = {
    champion: "#146c43", ally: "#20c997", neutral: "#adb5bd", skeptic: "#fd7e14", opponent: "#dc3545"
  };
  var TYPE_COLORS = { c: "#0d6efd", o: "#6f42c1", s: "#0dcaf0", p: "#adb5bd" };
  var RING = { c: 4, s: 3, o: 2, p: 1 };

  function toElements(data) {
    var elements = [];
    data.n.forEach(function (node) {
      elements.push({ data: {
        id: node.i, label: node.l, type: node.t, url: node.u,
        color: (node.t === "p" && node.s) ? STANCE_COLORS[node.s] : TYPE_COLORS[node.t]
      } });
    });
    data.e.forEach(function (edge, index) {
      elements.push({ data: { id: "e" + index, source: edge[0], target: edge[1], kind: edge[2] } });
    });
    return elements;
  }

  function draw(container, data) {
    var cy = window.cytoscape({
      container: container,
      elements: toElements(data),
      layout: {
        name: "concentric",
        concentric: function (node) { return RING[node.data("type")]; },
        levelWidth: function () { return 1; },
        minNodeSpacing: 8,
        animate: false
      },
      style: [
        { selector: "node", style: {
          "background-color": "data(color)", label: "data(label)", "font-size": 9,
          width: 14, height: 14, "text-valign": "bottom", "min-zoomed-font-size": 7
        } },
        { selector: "node[type = 'c']", style: { width: 30, height: 30, "font-size": 12, "font-weight": "bold" } },
        { selector: "node[type = 'o']", style: { shape: "round-rectangle" } },
        { selector: "node[type = 's']", style: { shape: "diamond" } },
        { selector: "edge", style: { width: 1, "line-color": "#ced4da", "curve-style": "haystack" } },
        { selector: "edge[kind = 'own']", style: { "line-color": "#0dcaf0", "line-style": "dashed" } },
        { selector: "edge[kind = 'm']", style: { "line-color": "#6f42c1" } }
      ],
      wheelSensitivity: 0.3
    });
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url) { window.location.assign(url); }
    });
    window.allyGraph = cy;
    container.dataset.ready = "true";
    container.dispatchEvent(new CustomEvent("ally-graph:ready", { bubbles: true }));
    return cy;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("ally-graph");
    if (!container || !window.cytoscape) { return; }
    fetch(container.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) { draw(container, data); })
      .catch(function () {
        container.textContent = container.dataset.error || "The network could not be loaded. Use the table below.";
      });
  });
})();
