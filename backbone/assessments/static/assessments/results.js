/* Draws the results charts from the JSON block named by each canvas's data-chart: the mean
   per element (weakest first, coloured by band) and the means per group. The same figures
   are in the table beside each chart. */
(function () {
  "use strict";

  function elements(canvas, data) {
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.values, backgroundColor: data.colours }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { min: data.min, max: data.max, ticks: { stepSize: 1 } } }
      }
    };
  }

  function groups(canvas, data) {
    var g = data.groups;
    return {
      type: "bar",
      data: {
        labels: g.labels,
        datasets: g.series.map(function (s) {
          return { label: s.label, data: s.data, backgroundColor: s.colour, borderColor: s.colour };
        })
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { min: data.min, max: data.max, ticks: { stepSize: 1 } } }
      }
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (canvas.dataset.kind === "groups") {
      if (!data.groups) { return; }
      new Chart(canvas, groups(canvas, data));
    } else {
      new Chart(canvas, elements(canvas, data));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
