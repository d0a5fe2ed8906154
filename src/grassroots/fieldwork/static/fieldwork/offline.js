// Working without a signal: registers the service worker, keeps the outbox, empties at logout.
// A form opts in with data-offline-outbox="<what it is>" (and data-offline-summary="<field>"):
// its submission is stored in IndexedDB with an Idempotency-Key of its own, then sent; if the
// network is gone it waits and is sent when the network returns. See docs/offline.md.
// No inline script (content security policy); messages come translated from a <template>.
(() => {
  const me = document.currentScript;
  const user = me.dataset.user || "";
  const stateUrl = me.dataset.state;
  const DB = "grassroots-outbox";
  const STORE = "entries";
  const PAGES = "fieldwork-pages";

  const say = (key, vars) => {
    const tpl = document.getElementById("outbox-messages");
    const node = tpl && tpl.content.querySelector(`[data-key="${key}"]`);
    let text = node ? node.textContent : key;
    Object.entries(vars || {}).forEach(([k, v]) => {
      text = text.replace(`{${k}}`, v);
    });
    return text;
  };

  const clearPages = async () => {
    if (!("caches" in window)) return;
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PAGES)).map((n) => caches.delete(n)));
  };

  if ("serviceWorker" in navigator && me.dataset.sw) {
    navigator.serviceWorker.register(me.dataset.sw, { scope: "/" }).catch(() => undefined);
  }
  if (!user) {
    // signed out (or the session ended): nothing of the last worker's pages stays on the phone
    clearPages().catch(() => undefined);
    return;
  }

  // --- IndexedDB, as promises
  const open = () =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const run = async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => {
        db.close();
        resolve(req && req.result);
      };
      tx.onerror = () => {
        db.close();
        reject(tx.error);
      };
    });
  };
  const mine = async () =>
    ((await run("readonly", (s) => s.getAll())) || [])
      .filter((e) => e.user === user)
      .sort((a, b) => a.created - b.created);
  const put = (entry) => run("readwrite", (s) => s.put(entry));
  const drop = (key) => run("readwrite", (s) => s.delete(key));

  const newKey = () => {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };

  // --- sending: "sent" (drop it), "refused" (keep, say why) or "wait" (retry later)
  const send = async (entry, csrf) => {
    const body = new FormData();
    entry.fields.forEach(([name, value]) => {
      if (value instanceof Blob) body.append(name, value, value.name || "file");
      else body.append(name, value);
    });
    body.append("csrfmiddlewaretoken", csrf);
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Idempotency-Key": entry.key, Accept: "application/json", "X-CSRFToken": csrf },
      });
    } catch (error) {
      return { result: "wait" };
    }
    const json = (response.headers.get("Content-Type") || "").includes("application/json");
    const data = json ? await response.json().catch(() => ({})) : {};
    if (json && (response.status === 200 || response.status === 201)) return { result: "sent", data };
    if (json && response.status >= 400 && response.status < 500 && ![401, 408, 429].includes(response.status)) {
      return { result: "refused", data };
    }
    return { result: "wait" };
  };

  let flushing = false;
  const flush = async () => {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      const waiting = (await mine()).filter((e) => e.state === "waiting");
      if (!waiting.length) return;
      let state;
      try {
        const r = await fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
        state = await r.json();
      } catch (error) {
        return;
      }
      // only the worker who typed an entry sends it, under their own session
      if (!state.user || String(state.user) !== user) return;
      for (const entry of waiting) {
        const outcome = await send(entry, state.csrf);
        if (outcome.result === "sent") await drop(entry.key);
        else if (outcome.result === "refused") {
          await put({ ...entry, state: "refused", message: outcome.data.message || "" });
        } else break;
      }
    } finally {
      flushing = false;
      await render();
    }
  };
  const flushLocked = () =>
    navigator.locks ? navigator.locks.request("grassroots-outbox", flush) : flush();

  // --- the list of what is still waiting
  const render = async () => {
    const list = document.querySelector("[data-offline-outbox-list]");
    if (!list) return;
    const entries = await mine();
    const items = list.querySelector("ul");
    items.replaceChildren(
      ...entries.map((e) => {
        const li = document.createElement("li");
        li.dataset.key = e.key;
        const when = new Date(e.created).toLocaleString();
        const head = document.createElement("strong");
        head.textContent = `${e.title} · ${e.summary}`;
        const info = document.createElement("small");
        info.className = "muted";
        info.textContent = ` ${when} · ${e.state === "refused" ? say("refused") : say("waiting")}`;
        li.append(head, info);
        if (e.state === "refused") {
          const why = document.createElement("p");
          why.className = "field-error";
          why.textContent = e.message;
          const discard = document.createElement("button");
          discard.type = "button";
          discard.className = "secondary";
          discard.dataset.outboxDiscard = e.key;
          discard.textContent = say("discard");
          li.append(why, discard);
        }
        return li;
      }),
    );
    list.hidden = entries.length === 0;
    const count = list.querySelector("[data-outbox-count]");
    if (count) count.textContent = say("count", { n: entries.length });
  };

  const status = (text) => {
    const node = document.querySelector("[data-offline-status]");
    if (node) node.textContent = text;
  };

  // --- a form that opts in
  // The ordinary submission, keeping the pressed button's name and value (submit() drops them).
  function submitNatively(form, submitter) {
    if (submitter) {
      const carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.matches("[data-offline-logout]")) {
      event.preventDefault();
      const waiting = (await mine()).length;
      if (waiting && !window.confirm(say("logout", { n: waiting }))) return;
      for (const e of await mine()) await drop(e.key);
      await clearPages().catch(() => undefined);
      HTMLFormElement.prototype.submit.call(form);
      return;
    }
    if (!form.matches("[data-offline-outbox]")) return;
    event.preventDefault();
    // the button pressed is part of what was asked ("一切正常" is a button's value)
    const submitter = event.submitter && event.submitter.name ? event.submitter : null;
    const key = newKey();
    if (form.elements.idem) form.elements.idem.value = key;
    const fields = [];
    new FormData(form, submitter || undefined).forEach((value, name) => {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File && !value.name && !value.size) return;
      fields.push([name, value]);
    });
    const summaryField = form.dataset.offlineSummary && form.elements[form.dataset.offlineSummary];
    const entry = {
      key,
      user,
      url: form.action,
      title: form.dataset.offlineOutbox,
      summary: summaryField ? String(summaryField.value).slice(0, 40) : "",
      fields,
      created: Date.now(),
      state: "waiting",
      message: "",
    };
    try {
      await put(entry);
    } catch (error) {
      // no storage on this phone (private mode, full disk): the ordinary submission
      submitNatively(form, submitter);
      return;
    }
    const csrf = form.elements.csrfmiddlewaretoken ? form.elements.csrfmiddlewaretoken.value : "";
    const outcome = navigator.onLine ? await send(entry, csrf) : { result: "wait" };
    if (outcome.result === "sent") {
      await drop(key);
      window.location.assign(outcome.data.url || window.location.href);
      return;
    }
    if (outcome.result === "refused") {
      // the page says what to correct, as without the outbox: nothing was saved
      await drop(key);
      submitNatively(form, submitter);
      return;
    }
    form.reset();
    if (form.elements.idem) form.elements.idem.value = newKey();
    status(say("queued"));
    await render();
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest ? event.target.closest("[data-outbox-discard]") : null;
    if (!button) return;
    await drop(button.dataset.outboxDiscard);
    await render();
  });

  const warm = () => {
    if (!navigator.onLine || !("serviceWorker" in navigator)) return;
    const urls = Array.from(document.querySelectorAll("a[data-offline-warm]"), (a) => a.href);
    const offered = Array.from(document.querySelectorAll("nav a[href]"), (a) => a.href);
    navigator.serviceWorker.ready
      .then((reg) => reg.active && reg.active.postMessage({ type: "warm", urls, offered }))
      .catch(() => undefined);
  };

  window.addEventListener("online", () => {
    flushLocked();
    warm();
  });
  setInterval(() => flushLocked(), 20000);
  render().then(flushLocked).catch(() => undefined);
  warm();
})();
