// A goal's progress over time (Chart.js). The numbers come from the page's
// json_script block and are also in the table under the chart.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("goal-chart");
    var source = document.getElementById("goal-chart-data");
    if (!canvas || !source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var flat = function (value) { return data.labels.map(function () { return value; }); };
    window.goalChart = new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.valueLabel, data: data.values, borderColor: "#0d6efd", backgroundColor: "#0d6efd", tension: 0.2 },
          { label: data.targetLabel, data: flat(data.target), borderColor: "#198754", borderDash: [6, 4], pointRadius: 0 },
          { label: data.baselineLabel, data: flat(data.baseline), borderColor: "#6c757d", borderDash: [2, 3], pointRadius: 0 }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { title: { display: !!data.unit, text: data.unit } } }
      }
    });
  });
})();
