/* The wall chart (挂图作战): each project's milestones on a time axis, drawn with the vendored ECharts
   from the server's data (json_script). Colours: done green, done late amber, overdue red, not yet due grey. */
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }  // no charting library: the table remains
  var COLOURS = { done: "#1b7f3b", done_late: "#b26a00", overdue: "#b3261e", pending: "#9aa5b1" };
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  function option(d, narrow, printing) {
    var states = ["done", "done_late", "overdue", "pending"];
    var series = states.map(function (state) {
      return {
        name: d.labels[state], type: "scatter", symbolSize: narrow ? 10 : 14,
        symbol: state === "pending" ? "emptyCircle" : (state === "overdue" ? "diamond" : "circle"),
        itemStyle: { color: COLOURS[state], borderColor: COLOURS[state], borderWidth: 2 },
        label: { show: !narrow || printing, position: "right", fontSize: 10, color: "#1f2933",
          formatter: function (p) { return p.data.node.name + (p.data.node.state === "overdue" ? " +" + p.data.node.late : ""); } },
        labelLayout: { hideOverlap: true },
        data: d.nodes.filter(function (n) { return n.state === state; }).map(function (n) {
          return { value: [n.planned, n.y], node: n };
        })
      };
    });
    series[0].markLine = {
      symbol: "none", silent: true, animation: false,
      label: { formatter: d.labels.today + " " + d.today, position: "insideEndTop", color: "#b3261e" },
      lineStyle: { type: "solid", color: "#b3261e", width: 2 },
      data: [{ xAxis: d.today }]
    };
    return {
      textStyle: { fontFamily: FONT },
      animation: false,
      legend: { top: 0, data: states.map(function (s) { return d.labels[s]; }) },
      grid: { left: 8, right: narrow ? 8 : 90, top: 34, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: function (p) {
        var n = p.data.node;
        var lines = [d.projects[n.y], n.name, d.labels.planned + " " + n.planned];
        if (n.done) { lines.push(d.labels.done_on + " " + n.done); }
        if (n.late) { lines.push(n.late + " " + d.labels.days_late); }
        return lines.map(function (s) { return String(s).replace(/[&<>]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;" }[c]; }); }).join("<br>");
      } },
      xAxis: { type: "time", min: d.start, max: d.end, splitNumber: narrow ? 4 : 12,
        axisLabel: { formatter: "{M}月", fontSize: 11 }, splitLine: { show: true, lineStyle: { color: "#e4e7eb" } } },
      yAxis: { type: "category", data: d.projects, inverse: true,
        axisLabel: { fontSize: narrow ? 10 : 12, width: narrow ? 90 : 220, overflow: "truncate" } },
      series: series
    };
  }

  document.querySelectorAll("[data-wallchart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-wallchart"));
    if (!source) { return; }
    var d = JSON.parse(source.textContent);
    el.style.height = Math.max(200, d.projects.length * 34 + 70) + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(d, el.clientWidth < 560, false));
    window.addEventListener("resize", function () { chart.resize(); chart.setOption(option(d, el.clientWidth < 560, false)); });
    // Printed on A3 landscape (about 1530 CSS pixels wide less margins): a second drawing at that size.
    var printEl = document.createElement("div");
    printEl.className = "wallchart-print";
    printEl.setAttribute("aria-hidden", "true");
    el.parentNode.insertBefore(printEl, el.nextSibling);
    var printChart = window.echarts.init(printEl, null, { renderer: "svg", width: 1480, height: Math.max(200, d.projects.length * 30 + 70) });
    printChart.setOption(option(d, false, true));
  });
}());
