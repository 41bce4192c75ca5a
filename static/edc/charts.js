// Charts without inline script (Content-Security-Policy: script-src 'self').
// A page draws a chart by rendering <canvas data-chart="ID"> and, with Django's json_script,
// <script type="application/json" id="ID">{...Chart.js config...}</script>. The server builds
// the whole configuration (labels already translated, per-point styles as arrays), so every
// chart is drawn by this one loop and no page needs script of its own.
"use strict";

document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
  const source = document.getElementById(canvas.dataset.chart);
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  const config = JSON.parse(source.textContent);
  // Charts stay readable when printed or screenshotted: no animation.
  config.options = Object.assign({ animation: false, responsive: true }, config.options || {});
  // A point may carry its own words ({x, y, label}: a visit code, an episode and its grade);
  // the tooltip shows them, and Chart.js's default text for every other point.
  const plugins = (config.options.plugins = config.options.plugins || {});
  const tooltip = (plugins.tooltip = plugins.tooltip || {});
  tooltip.callbacks = Object.assign(
    {
      label: (item) =>
        item.raw && typeof item.raw.label === "string"
          ? `${item.dataset.label}: ${item.raw.label} (${item.parsed.x})`
          : undefined,
    },
    tooltip.callbacks || {},
  );
  canvas.chart = new window.Chart(canvas, config);
  canvas.dataset.chartReady = "true";
});
