// Live updates for the staff pages: the server sends a "change" event whenever the
// audit ledger grows; each [data-live-src] region re-fetches its server-rendered HTML.
// A region is not replaced while the user is typing in it or has focus inside it.
(function () {
  "use strict";
  const regions = Array.from(document.querySelectorAll("[data-live-src]"));
  const stream = document.body.dataset.stream;
  if (!regions.length || !stream || !window.EventSource) return;
  let pending = false;

  function busy(region) {
    const active = document.activeElement;
    if (active && region.contains(active) && active !== document.body) return true;
    return Array.from(region.querySelectorAll("textarea, input[type=text], input:not([type])"))
      .some((el) => el.value);
  }

  async function refresh() {
    pending = false;
    for (const region of regions) {
      if (busy(region)) { pending = true; continue; }
      try {
        const res = await fetch(region.dataset.liveSrc, { headers: { accept: "text/html" } });
        if (res.redirected || !res.ok) continue;
        const html = await res.text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.querySelector("main") || doc.body;
        region.innerHTML = fresh.innerHTML;
        region.dispatchEvent(new CustomEvent("live:updated", { bubbles: true }));
      } catch (e) { /* the next change event retries */ }
    }
  }

  const source = new EventSource(stream);
  source.addEventListener("change", () => { refresh(); });
  document.addEventListener("focusout", () => { if (pending) setTimeout(refresh, 200); });
})();
