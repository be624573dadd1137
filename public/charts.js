// Draws every element with a data-chart attribute (an ECharts option built on the server)
// using the ECharts script served from /vendor. Runs on page load and for charts that appear
// later (client-side navigation). Without JavaScript the tables beside the charts remain.
//
// ECharts (about 1 MB, 330 KB compressed) is fetched only once the page has loaded, so that
// on a slow network it does not take bandwidth from the page's own files: the page becomes
// interactive first, and the charts are drawn a moment later.
(function () {
  "use strict";
  var requested = false;
  function draw(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]:not([data-drawn])").forEach(function (el) {
      try {
        var chart = window.echarts.init(el, null, { renderer: "svg" });
        chart.setOption(JSON.parse(el.getAttribute("data-chart")));
        el.setAttribute("data-drawn", "true");
        window.addEventListener("resize", function () { chart.resize(); });
      } catch (e) {
        el.setAttribute("data-drawn", "failed");
      }
    });
  }
  function loadEcharts() {
    if (requested || window.echarts || !document.querySelector("[data-chart]")) return;
    requested = true;
    var script = document.createElement("script");
    script.src = "/vendor/echarts.min.js";
    script.onload = function () { draw(document); };
    document.head.appendChild(script);
  }
  function start() {
    loadEcharts();
    draw(document);
    new MutationObserver(function () {
      loadEcharts();
      draw(document);
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
