// Draws every element with a data-chart attribute (an ECharts option built on the server)
// using the ECharts script served from /vendor. Runs on page load and for charts that appear
// later (client-side navigation). Without JavaScript the tables beside the charts remain.
(function () {
  "use strict";
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
  function start() {
    draw(document);
    new MutationObserver(function () { draw(document); }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
