/* Charts of the dashboards, drawn with the vendored Apache ECharts from data in json_script tags.
   Every value comes from the server (the progress engine); this file only draws it. */
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }  // no charting library: the tables remain
  var STATUS_COLOURS = { ahead: "#1b7f3b", normal: "#1f5fa8", warning: "#b26a00", lagging: "#b3261e" };
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  function num(value, scale) {
    if (value === null || value === undefined || value === "") { return null; }
    return Math.round(parseFloat(value) / (scale || 1) * 100) / 100;
  }

  function paceOption(d, narrow) {
    var scale = d.scale || 1;
    return {
      textStyle: { fontFamily: FONT },
      animation: false,
      grid: { left: 8, right: 16, top: narrow ? 60 : 36, bottom: 8, containLabel: true },
      legend: { top: 0, itemGap: narrow ? 8 : 16, data: [d.labels.planned, d.labels.actual, d.labels.monthly] },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(2) + " " + d.unit; } },
      xAxis: { type: "category", data: d.months, axisLabel: { interval: narrow ? "auto" : 0, fontSize: 11 } },
      yAxis: { type: "value" },
      series: [
        { name: d.labels.monthly, type: "bar", data: d.monthly.map(function (v) { return num(v, scale); }),
          itemStyle: { color: "#9fb3c8" }, barMaxWidth: 22 },
        { name: d.labels.planned, type: "line", data: d.planned.map(function (v) { return num(v, scale); }),
          lineStyle: { type: "dashed", width: 2, color: "#616e7c" }, itemStyle: { color: "#616e7c" }, symbol: "emptyCircle" },
        { name: d.labels.actual, type: "line", data: d.actual.map(function (v) { return num(v, scale); }),
          lineStyle: { width: 3, color: "#b71c1c" }, itemStyle: { color: "#b71c1c" }, symbol: "circle", symbolSize: 7 }
      ]
    };
  }

  function groupsOption(d, narrow) {
    return {
      textStyle: { fontFamily: FONT },
      animation: false,
      grid: { left: 8, right: 64, top: 28, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(1) + "%"; } },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { fontSize: 12 } },
      series: [{
        name: d.names.rate, type: "bar", barMaxWidth: 22,
        data: d.rates.map(function (v, i) {
          return { value: v, itemStyle: { color: STATUS_COLOURS[d.statuses[i]] || "#9aa5b1" } };
        }),
        label: { show: true, position: "right", formatter: function (p) {
          return (p.value === null ? "—" : p.value.toFixed(1) + "%") + " " + (d.status_labels[p.dataIndex] || "");
        } },
        markLine: { symbol: "none", label: { formatter: d.names.schedule + " {c}%", position: "start", rotate: 0 },
          lineStyle: { type: "dashed", color: "#1f2933", width: 2 }, data: [{ xAxis: d.schedule }] }
      }]
    };
  }

  var builders = { pace: paceOption, groups: groupsOption };
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var build = builders[data.kind];
    if (!build) { return; }
    if (data.kind === "groups") { el.style.height = Math.max(220, data.labels.length * 34 + 60) + "px"; }
    el.classList.add("chart-ready");  // gives the box its height before the chart measures it
    var option = build(data, el.clientWidth < 560);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
    // A second drawing at the printed size (A4 portrait less margins is about 718 CSS pixels),
    // shown only by the print stylesheet, so printing never depends on resize events.
    var printEl = document.createElement("div");
    printEl.className = "chart-print";
    printEl.setAttribute("aria-hidden", "true");
    el.parentNode.insertBefore(printEl, el.nextSibling);
    var height = data.kind === "groups" ? Math.max(200, data.labels.length * 26 + 50) : 200;
    var printChart = window.echarts.init(printEl, null, { renderer: "svg", width: 718, height: height });
    printChart.on("finished", function () {  // let the drawing shrink if the printable width is narrower
      var svg = printEl.querySelector("svg");
      if (svg && !svg.getAttribute("viewBox")) {
        svg.setAttribute("viewBox", "0 0 718 " + height);
        svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
      }
    });
    printChart.setOption(build(data, false));
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
