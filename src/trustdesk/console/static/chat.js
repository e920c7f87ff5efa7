// Customer chat: REST calls to /v1/conversations. No dependencies.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  let conversationId = null;

  function add(role, text, extra) {
    const li = document.createElement("li");
    li.className = role;
    const who = { customer: "You", ai: "AI assistant", system: "Northwind Bank", human: "Agent" }[role] || role;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = who;
    li.appendChild(meta);
    li.appendChild(document.createTextNode(text));
    if (extra) li.appendChild(extra);
    $("log").appendChild(li);
    li.scrollIntoView({ block: "end" });
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

  async function start(mode) {
    const conv = await call("POST", "/v1/conversations", { channel: "web", mode });
    conversationId = conv.id;
    $("start").hidden = true;
    $("chat").hidden = false;
    add("system", mode === "human"
      ? "A human agent will join this conversation. Please describe what you need."
      : "Hello! I'm Northwind Bank's AI assistant. How can I help?");
    $("text").focus();
  }

  async function send(text) {
    $("status").textContent = "Sending…";
    try {
      const r = await call("POST", "/v1/conversations/" + conversationId + "/messages", { text });
      let note = null;
      if (r.redacted) {
        note = document.createElement("span");
        note.className = "redacted";
        note.textContent = "Personal data was removed from this message before it was stored: "
          + r.findings.map((f) => f.type).join(", ") + ".";
      }
      add("customer", r.redacted_text, note);
      let cite = null;
      if (r.reply.citation) {
        cite = document.createElement("span");
        cite.className = "meta";
        cite.textContent = "Source: article " + r.reply.citation;
      }
      add(r.reply.role, r.reply.text, cite);
      $("status").textContent = r.escalated ? "A human agent has been asked to take over." : "";
    } catch (e) {
      $("status").textContent = "Not sent: " + e.message;
    }
  }

  $("start-ai").addEventListener("click", () => start("ai"));
  $("start-human").addEventListener("click", () => start("human"));
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
})();
