// Supervisor page: draws the charts with Plotly (served by the console, no CDN) from
// /supervisor/data.json and keeps the page current: on the console's "change" events
// (the audit ledger grew) and every 30 s (the window slides), it re-fetches the figures,
// the server-rendered key figures, and the tables that are the charts' text alternative.
(function () {
  "use strict";
  const root = document.getElementById("supervisor-live");
  if (!root) return;
  const jsonSrc = root.dataset.jsonSrc;
  const fragmentSrc = root.dataset.fragmentSrc;
  const COLORS = ["#0b5cad", "#a4161a", "#7a4100", "#1e6b34", "#6f42c1"];
  let busy = false;
  let again = false;

  function cell(tag, text, scope) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (scope) el.scope = scope;
    return el;
  }

  function updateTables(data) {
    for (const chart of data.charts) {
      const summary = document.querySelector('[data-summary="' + chart.id + '"]');
      if (summary) summary.textContent = chart.summary;
      const table = document.querySelector('table[data-table="' + chart.id + '"]');
      if (!table) continue;
      const body = document.createElement("tbody");
      data.labels.forEach((label, i) => {
        const tr = document.createElement("tr");
        tr.appendChild(cell("th", label, "row"));
        for (const s of chart.series) {
          const v = s.values[i];
          tr.appendChild(cell("td", v === null || v === undefined ? "\u2014" : String(v)));
        }
        body.appendChild(tr);
      });
      table.replaceChild(body, table.tBodies[0]);
    }
    const updated = document.getElementById("updated");
    if (updated) updated.textContent = "Figures as of " + data.generated_at.slice(11, 19) + " UTC.";
  }

  // Plotly reads date strings without a zone; every time here is UTC.
  const plain = (iso) => iso.replace("T", " ").replace("Z", "");

  function draw(data) {
    if (!window.Plotly) return;
    const x = data.buckets.map(plain);
    for (const chart of data.charts) {
      const el = document.getElementById("chart-" + chart.id);
      if (!el) continue;
      el.hidden = false;
      const traces = chart.series.map((s, i) => ({
        x: x,
        y: s.values,
        name: s.name,
        type: chart.kind === "line" ? "scatter" : "bar",
        mode: chart.kind === "line" ? "lines+markers" : undefined,
        connectgaps: false,
        marker: { color: COLORS[i % COLORS.length], size: 4 },
        hovertemplate: "%{x|%H:%M} UTC: %{y}<extra>" + s.name + "</extra>",
      }));
      const layout = {
        barmode: chart.kind === "stack" ? "stack" : "group",
        margin: { l: 48, r: 12, t: 8, b: 40 },
        height: 260,
        showlegend: chart.series.length > 1,
        legend: { orientation: "h", y: -0.25 },
        xaxis: { type: "date", tickformat: "%H:%M", range: [plain(data.since), plain(data.until)] },
        yaxis: { title: { text: chart.unit }, rangemode: "tozero", fixedrange: true },
        font: { family: "system-ui, sans-serif", size: 12, color: "#1b1f24" },
      };
      window.Plotly.react(el, traces, layout, { displayModeBar: false, responsive: true });
    }
  }

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const res = await fetch(jsonSrc, { headers: { accept: "application/json" } });
      if (res.ok && !res.redirected) {
        const data = await res.json();
        draw(data);
        updateTables(data);
      }
      const active = document.activeElement;
      if (!(active && root.contains(active))) {
        const frag = await fetch(fragmentSrc, { headers: { accept: "text/html" } });
        if (frag.ok && !frag.redirected) {
          const doc = new DOMParser().parseFromString(await frag.text(), "text/html");
          root.innerHTML = (doc.querySelector("main") || doc.body).innerHTML;
        }
      }
    } catch (e) {
      /* the next change event or tick retries */
    } finally {
      busy = false;
      if (again) { again = false; setTimeout(refresh, 1000); }
    }
  }

  window.addEventListener("load", refresh);
  if (window.EventSource) {
    const source = new EventSource("/supervisor/stream");
    source.addEventListener("change", refresh);
  }
  setInterval(refresh, 30000);
})();
