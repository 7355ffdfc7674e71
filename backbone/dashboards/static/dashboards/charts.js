/* Draws each <canvas data-chart="id"> from the JSON block with that id, with Chart.js.
   The same figures are in a table beside every chart; the canvas is only a picture of them. */
(function () {
  "use strict";
  var STYLE = {
    actual: { borderColor: "#1f4e79", backgroundColor: "#1f4e79", borderWidth: 3, pointRadius: 4 },
    forecast: { borderColor: "#8a4b00", backgroundColor: "#8a4b00", borderDash: [6, 4], borderWidth: 2, pointRadius: 0 },
    target: { borderColor: "#0b6e4f", backgroundColor: "#0b6e4f", borderWidth: 0, pointRadius: 6, pointStyle: "rectRot", showLine: false }
  };

  var BREAK_COLOUR = "#5a5a5a";

  /* A series break: a dashed vertical line before the first period of the new series,
     labelled with the reason (cut to fit, each label on a line of its own). */
  var seriesBreaks = {
    id: "seriesBreaks",
    afterDatasetsDraw: function (chart, args, options) {
      var breaks = options.breaks || [];
      if (!breaks.length) { return; }
      var ctx = chart.ctx, x = chart.scales.x, area = chart.chartArea;
      ctx.save();
      breaks.forEach(function (b, k) {
        var at = (x.getPixelForValue(b.index - 1) + x.getPixelForValue(b.index)) / 2;
        ctx.strokeStyle = BREAK_COLOUR;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(at, area.top);
        ctx.lineTo(at, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.font = "12px system-ui, sans-serif";
        /* On the side of the line with more room; cut to fit. */
        var text = "New series: " + b.reason;
        var right = area.right - at - 6, left = at - area.left - 6;
        var onRight = right >= ctx.measureText(text).width || right >= left;
        var room = Math.max(onRight ? right : left, 60);
        while (text.length > 12 && ctx.measureText(text).width > room) {
          text = text.slice(0, -2) + "…";
        }
        var width = ctx.measureText(text).width, from = onRight ? at + 2 : at - width - 6;
        ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
        var top = area.top + 1 + 18 * k;  /* one line lower for each break, so labels never overlap */
        ctx.fillRect(from, top, width + 4, 16);
        ctx.fillStyle = BREAK_COLOUR;
        ctx.fillText(text, from + 2, top + 12);
      });
      ctx.restore();
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    /* As the page writes figures, in the page's language: thousands grouped (1,490 ·
       1 490), a true minus sign, French and Spanish with a space before "%". */
    var lang = document.documentElement.lang || "en";
    var suffix = data.unit === "percent" ? (lang === "en" ? "%" : "\u202f%") : "";
    function figure(v, decimals) {
      var text = Math.abs(v).toLocaleString(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true });
      return (v < 0 && Number(Math.abs(v).toFixed(decimals)) !== 0 ? "\u2212" : "") + text + suffix;
    }
    var starts = (data.breaks || []).map(function (b) { return b.index; });
    /* No line joins a value to one across a break. */
    var segment = {
      borderColor: function (ctx) {
        return starts.indexOf(ctx.p1DataIndex) !== -1 ? "transparent" : undefined;
      }
    };
    new Chart(canvas, {
      type: "line",
      plugins: [seriesBreaks],
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s) {
          return Object.assign({ label: s.label, data: s.data, spanGaps: false, tension: 0, segment: segment }, STYLE[s.key] || {});
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          seriesBreaks: { breaks: data.breaks || [] },
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + figure(ctx.parsed.y, data.decimals);
              }
            }
          }
        },
        scales: { y: { ticks: { callback: function (v) { return figure(v, Math.min((String(v).split(".")[1] || "").length, 6)); } } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
