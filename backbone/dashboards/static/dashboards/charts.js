/* Draws each <canvas data-chart="id"> from the JSON block with that id, with Chart.js.
   The same figures are in a table beside every chart; the canvas is only a picture of them. */
(function () {
  "use strict";
  var STYLE = {
    actual: { borderColor: "#1f4e79", backgroundColor: "#1f4e79", borderWidth: 3, pointRadius: 4 },
    forecast: { borderColor: "#8a4b00", backgroundColor: "#8a4b00", borderDash: [6, 4], borderWidth: 2, pointRadius: 0 },
    target: { borderColor: "#0b6e4f", backgroundColor: "#0b6e4f", borderWidth: 0, pointRadius: 6, pointStyle: "rectRot", showLine: false }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var suffix = data.unit === "percent" ? "%" : "";
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s) {
          return Object.assign({ label: s.label, data: s.data, spanGaps: false, tension: 0 }, STYLE[s.key] || {});
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + ctx.parsed.y.toFixed(data.decimals) + suffix;
              }
            }
          }
        },
        scales: { y: { ticks: { callback: function (v) { return v + suffix; } } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
