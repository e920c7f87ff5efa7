// Customer chat: REST calls to /v1/conversations and a server-sent event stream for
// messages from human agents. No dependencies.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const WHO = { customer: "You", ai: "AI assistant", system: "Northwind Bank", human: "Agent" };
  let conversationId = null;
  let lastSeq = 0;
  const shown = new Set();

  function add(role, text, extras, id) {
    if (id && shown.has(id)) return;
    if (id) shown.add(id);
    const li = document.createElement("li");
    li.className = role;
    li.dataset.role = role;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = WHO[role] || role;
    li.appendChild(meta);
    const body = document.createElement("div");
    body.className = "text";
    body.textContent = text;
    li.appendChild(body);
    for (const extra of extras || []) if (extra) li.appendChild(extra);
    $("log").appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  function note(cls, text) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    return span;
  }

  async function call(method, url, body) {
    const res = await fetch(url, {
      method, headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.detail || ("HTTP " + res.status));
    return data;
  }

  function setMode(mode) {
    $("mode").textContent = { human: "Human agent", waiting: "Waiting for a human agent" }[mode]
      || "AI assistant";
  }

  function listen() {
    if (!window.EventSource) return;
    const es = new EventSource("/v1/conversations/" + conversationId + "/events?after=" + lastSeq);
    es.addEventListener("message", (ev) => {
      const m = JSON.parse(ev.data);
      lastSeq = Math.max(lastSeq, m.seq);
      if (m.role === "human" || m.role === "system") {
        add(m.role, m.text, [], m.id);
        if (m.role === "human") setMode("human");
      }
    });
    es.addEventListener("closed", () => es.close());
  }

  async function start(mode) {
    const consent = { recording: $("consent-recording").checked, improve_ai: $("consent-improve").checked };
    try {
      const conv = await call("POST", "/v1/conversations", { channel: "web", mode, consent });
      conversationId = conv.id;
      $("consent2-recording").checked = !!conv.consent.recording;
      $("consent2-improve").checked = !!conv.consent.improve_ai;
    } catch (e) {
      $("start-title").textContent = "Could not start the chat: " + e.message;
      return;
    }
    $("start").hidden = true;
    $("chat").hidden = false;
    setMode(mode === "human" ? "waiting" : "ai");
    add("system", mode === "human"
      ? "A human agent will join this conversation. Please describe what you need."
      : "Hello! I'm Northwind Bank's AI assistant. How can I help?");
    listen();
    $("text").focus();
  }

  async function send(text) {
    $("status").textContent = "Sending…";
    try {
      const r = await call("POST", "/v1/conversations/" + conversationId + "/messages", { text });
      const types = Array.from(new Set(r.findings.map((f) => f.type)));
      add("customer", r.redacted_text, [r.redacted ? note("redacted",
        "Personal data was removed from this message before it was stored or read by the AI: "
        + types.join(", ") + ".") : null], r.message_id);
      let cite = null;
      if (r.reply.citation) {
        cite = document.createElement("span");
        cite.className = "meta citation";
        cite.append("Source: ");
        const a = document.createElement("a");
        a.href = "/help/" + encodeURIComponent(r.reply.citation);
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = "help article “" + r.reply.citation + "”";
        cite.appendChild(a);
      }
      add(r.reply.role, r.reply.text, [cite], r.reply.id);
      if (r.reply.role === "human") setMode("human");
      else if (r.escalated || r.mode === "human") setMode("waiting");
      $("status").textContent = r.escalated ? "A human agent has been asked to take over." : "";
    } catch (e) {
      $("status").textContent = "Not sent: " + e.message;
    }
  }

  $("start-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    start(ev.submitter && ev.submitter.value === "human" ? "human" : "ai");
  });
  $("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("text").value;
    if (!text.trim()) return;
    $("text").value = "";
    send(text);
  });
  $("text").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $("composer").requestSubmit(); }
  });
  $("human").addEventListener("click", () => send("I would like to talk to a human, please."));

  $("verify-start").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await call("POST", "/v1/conversations/" + conversationId + "/verification",
        { customer_ref: $("customer-ref").value.trim() });
      $("verify-status").textContent = r.detail + (r.demo_code ? " Demo only — your code is " + r.demo_code + "." : "");
      $("verify-confirm").hidden = false;
      $("otp").focus();
    } catch (e) { $("verify-status").textContent = "Could not send a code: " + e.message; }
  });
  $("verify-confirm").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await call("POST", "/v1/conversations/" + conversationId + "/verification/confirm",
        { code: $("otp").value.trim() });
      $("verify-status").textContent = "Verified: customer number ending " + r.customer_ref_last4 + ".";
      $("verify-start").hidden = true;
      $("verify-confirm").hidden = true;
      $("text").focus();
    } catch (e) { $("verify-status").textContent = "Not verified: " + e.message; }
  });
  $("consent-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await call("POST", "/v1/conversations/" + conversationId + "/consent",
        { recording: $("consent2-recording").checked, improve_ai: $("consent2-improve").checked });
      $("consent-status").textContent = "Saved: transcript " + (r.recording ? "kept" : "not kept")
        + "; AI improvement " + (r.improve_ai ? "allowed" : "not allowed") + ".";
    } catch (e) { $("consent-status").textContent = "Not saved: " + e.message; }
  });
})();
