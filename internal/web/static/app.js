// parley's web app: progress of runs (server-sent events), charts (uPlot),
// the editor's jump-to-line buttons and confirmations. No inline scripts:
// the Content-Security-Policy allows only files from this server.
(function () {
  "use strict";

  // ---- progress of a run ----
  function watch(box) {
    if (box.dataset.watching) return;
    box.dataset.watching = "1";
    var bar = box.querySelector("progress");
    var count = box.querySelector(".count");
    var status = box.querySelector(".status");
    var cancel = box.querySelector("form.cancel");
    var es = new EventSource(box.dataset.events);
    es.addEventListener("progress", function (ev) {
      var p = JSON.parse(ev.data);
      status.textContent = p.status;
      if (p.total > 0) {
        bar.max = p.total;
        bar.value = p.done;
        count.textContent = p.done.toLocaleString() + " of " + p.total.toLocaleString() + " histories";
      }
    });
    es.addEventListener("end", function (ev) {
      es.close();
      var e = JSON.parse(ev.data);
      status.textContent = e.status;
      if (cancel) cancel.remove();
      // the run's page shows how it ended: the results, or why there are none
      count.textContent = e.status === "done" ? "done: opening the results" : "";
      window.location.assign(e.url);
    });
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) status.textContent += " (connection lost: reload the page)";
    };
  }

  // ---- charts ----
  var palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

  function fade(hex) { return hex + "33"; }

  function drawCharts() {
    var holder = document.getElementById("charts");
    var src = document.getElementById("chart-data");
    if (!holder || !src || holder.dataset.drawn || typeof uPlot === "undefined") return;
    holder.dataset.drawn = "1";
    var charts = JSON.parse(src.textContent) || [];
    var plots = [];
    charts.forEach(function (c, i) {
      var fig = document.createElement("figure");
      fig.className = "chart";
      var h = document.createElement("h3");
      h.id = "chart-" + i;
      h.textContent = c.title;
      fig.appendChild(h);
      fig.setAttribute("aria-labelledby", h.id);
      holder.appendChild(fig);
      var data = [c.x];
      var series = [{ label: c.xlabel }];
      var bands = [];
      c.series.forEach(function (s, k) {
        var col = palette[k % palette.length];
        data.push(s.y);
        series.push({ label: s.name, stroke: col, width: 2 });
        if (s.lo && s.hi) {
          var mid = data.length - 1;
          data.push(s.hi);
          series.push({ label: "+1 sd", stroke: fade(col), width: 1, points: { show: false } });
          data.push(s.lo);
          series.push({ label: "−1 sd", stroke: fade(col), width: 1, points: { show: false } });
          bands.push({ series: [mid + 1, mid + 2], fill: fade(col) });
        }
      });
      var opts = {
        width: Math.max(240, fig.clientWidth || 480),
        height: 260,
        series: series,
        bands: bands,
        scales: { x: { time: false }, y: { range: [c.ymin, c.ymax > c.ymin ? c.ymax : c.ymin + 1] } },
        axes: [{ label: c.xlabel }, { label: c.ylabel }],
        legend: { live: true }
      };
      plots.push([new uPlot(opts, data, fig), fig]);
    });
    // follow the width of each chart's box (a phone turned, a window resized)
    if (typeof ResizeObserver !== "undefined") {
      var ro = new ResizeObserver(function () {
        plots.forEach(function (p) {
          var w = Math.max(240, p[1].clientWidth);
          if (Math.abs(w - p[0].width) > 2) p[0].setSize({ width: w, height: 260 });
        });
      });
      plots.forEach(function (p) { ro.observe(p[1]); });
    }
  }

  // ---- the editor: move the cursor to a problem's line ----
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("button.goto");
    if (!b) return;
    var ta = document.getElementById(b.dataset.target || "source");
    if (!ta) return;
    var line = parseInt(b.dataset.line, 10) || 1;
    var col = parseInt(b.dataset.col, 10) || 1;
    var lines = ta.value.split("\n");
    var pos = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    pos += Math.min(col - 1, (lines[line - 1] || "").length);
    ta.focus();
    ta.setSelectionRange(pos, pos);
    var lh = parseFloat(getComputedStyle(ta).lineHeight) || 18;
    ta.scrollTop = Math.max(0, (line - 3) * lh);
  });

  // ---- confirmations ----
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.dataset && ev.target.dataset.confirm;
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  function init(root) {
    (root || document).querySelectorAll("[data-events]").forEach(watch);
    drawCharts();
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { init(ev.target); });
})();
