/* Draws each <canvas data-chart="id"> from the JSON block with that id as a stacked bar chart
   with Chart.js. The same figures are in the table below the chart. */
(function () {
  "use strict";
  var COLOURS = ["#1f4e79", "#0b6e4f", "#8a4b00", "#6a3d9a", "#b3002d", "#4d4d4d"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, n) {
          var colour = COLOURS[n % COLOURS.length];
          return { label: s.label, data: s.data, backgroundColor: colour, borderColor: colour };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: "Hours" } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
