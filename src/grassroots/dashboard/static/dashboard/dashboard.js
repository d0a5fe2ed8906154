/* The dashboard's trend chart: reads the JSON embedded by json_script (no inline script, CSP). */
(function () {
  "use strict";
  var holder = document.getElementById("trend-chart");
  var source = document.getElementById("dashboard-chart");
  if (!holder || !source || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var rows = data.trend || [];
  var pct = function (v) { return v === null ? null : Math.round(v * 1000) / 10; };
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var L = zh ? ["登记量", "响应率", "办结率", "满意率"] : ["Intake", "Response", "Resolution", "Satisfaction"];
  var chart = window.echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: L },
    grid: { left: 40, right: 40, top: 40, bottom: 30 },
    xAxis: { type: "category", data: rows.map(function (r) { return r.day.slice(5); }) },
    yAxis: [
      { type: "value", name: L[0], minInterval: 1 },
      { type: "value", name: "%", min: 0, max: 100 }
    ],
    series: [
      { name: L[0], type: "bar", data: rows.map(function (r) { return r.total; }), itemStyle: { color: "#cbd5e1" } },
      { name: L[1], type: "line", yAxisIndex: 1, connectNulls: true, data: rows.map(function (r) { return pct(r.response_rate); }) },
      { name: L[2], type: "line", yAxisIndex: 1, connectNulls: true, data: rows.map(function (r) { return pct(r.resolution_rate); }) },
      { name: L[3], type: "line", yAxisIndex: 1, connectNulls: true, data: rows.map(function (r) { return pct(r.satisfaction_rate); }) }
    ],
    color: ["#cbd5e1", "#1d4ed8", "#15803d", "#b91c1c"]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
