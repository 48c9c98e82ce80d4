// The equity dashboard's charts (Chart.js). Their numbers come from the page's
// json_script block and are also in the table under each chart; a hidden (suppressed)
// count is null here and "–" or "hidden" there.
(function () {
  "use strict";

  var COLORS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#d63384", "#0dcaf0", "#ffc107"];

  function draw() {
    var source = document.getElementById("equity-charts-data");
    if (!source || !window.Chart) { return; }
    var charts = JSON.parse(source.textContent);
    window.equityCharts = window.equityCharts || {};
    Object.keys(window.equityCharts).forEach(function (key) { window.equityCharts[key].destroy(); });
    window.equityCharts = {};
    document.querySelectorAll("canvas[data-equity-chart]").forEach(function (canvas) {
      var key = canvas.getAttribute("data-equity-chart");
      var data = charts[key];
      if (!data) { return; }
      var config;
      if (data.series) {
        config = {
          type: "bar",
          data: {
            labels: data.labels,
            datasets: data.series.map(function (series, index) {
              return { label: series.label, data: series.values, backgroundColor: COLORS[index % COLORS.length] };
            })
          },
          options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
        };
      } else {
        config = {
          type: "bar",
          data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: COLORS[0] }] },
          options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } }
        };
      }
      window.equityCharts[key] = new window.Chart(canvas, config);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
