// The grid worker's offline pages (served at /sw.js by grassroots.fieldwork.views).
// Pages: network first; a page whose response carries the offline header is kept, and shown
// from the cache when there is no network. Static files: cache first. Everything else (POSTs,
// partials, the API, other pages) goes to the network untouched and is never kept.
// Signing out (or landing on the sign-in page for any reason) empties the page cache.
const CONFIG = {{ config|safe }};
const PAGES = "fieldwork-pages-v" + CONFIG.version;
const STATIC = "fieldwork-static-v" + CONFIG.version;

// Kept: a page its view marked, never one sent no-store (a revealed value).
const keepable = (response) =>
  response.ok &&
  !response.redirected &&
  Boolean(response.headers.get(CONFIG.header)) &&
  !(response.headers.get("Cache-Control") || "").includes("no-store");

const keep = async (url) => {
  const response = await fetch(url, { credentials: "same-origin" });
  if (keepable(response)) {
    const cache = await caches.open(PAGES);
    await cache.put(url, response);
  }
};

// A precached page is fetched again once its kept copy is older than STALE_MS; a warmed link
// only when not kept yet (opening it online refreshes it), so a list page does not refetch every
// row on each visit.
const STALE_MS = 10 * 60 * 1000;
const stale = (kept) => !kept || Date.now() - Date.parse(kept.headers.get("Date") || 0) > STALE_MS;
const warm = async (urls, fresh = []) => {
  const cache = await caches.open(PAGES);
  const wanted = [];
  for (const u of urls) {
    if (new URL(u, self.location.origin).origin !== self.location.origin) continue;
    const kept = await cache.match(u, { ignoreVary: true });
    if (fresh.includes(u) ? stale(kept) : !kept) wanted.push(u);
  }
  await Promise.all(wanted.map((u) => keep(u).catch(() => undefined)));
};

const clearPages = async () => {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith("fieldwork-pages")).map((n) => caches.delete(n)));
};

// Installing keeps only the static files, so that the open pages are controlled at once; the
// pages to keep are fetched when a signed-in page asks ("warm" below), never for a signed-out one.
self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC);
      await cache.addAll(CONFIG.static);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const current = [PAGES, STATIC];
      await Promise.all(
        names.filter((n) => n.startsWith("fieldwork-") && !current.includes(n)).map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "clear") event.waitUntil(clearPages());
  else if (data.type === "warm" && Array.isArray(data.urls) && Array.isArray(data.offered)) {
    // the fieldwork pages only for someone whose menu offers one of them (a grid worker)
    const offered = data.offered.map((u) => new URL(u, self.location.origin).pathname);
    const worker = CONFIG.pages.some((u) => offered.includes(u));
    const pages = worker ? CONFIG.pages : [];
    event.waitUntil(warm(pages.concat(data.urls), pages));
  }
});

const offlinePage = () =>
  new Response(
    '<!doctype html><html lang="' + CONFIG.lang + '"><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">' +
      "<title>" + CONFIG.offline.title + "</title><h1>" + CONFIG.offline.title + "</h1><p>" +
      CONFIG.offline.body + "</p><ul>" +
      CONFIG.pages.map((u) => '<li><a href="' + u + '">' + u + "</a></li>").join("") +
      "</ul></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
  );

const page = async (request) => {
  const url = new URL(request.url);
  if (url.pathname === CONFIG.login) await clearPages();
  try {
    const response = await fetch(request);
    if (response.redirected && new URL(response.url).pathname === CONFIG.login) await clearPages();
    else if (keepable(response)) {
      const cache = await caches.open(PAGES);
      await cache.put(url.href, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(url.href, { cacheName: PAGES, ignoreVary: true });
    return cached || offlinePage();
  }
};

const asset = async (request) => {
  const cached = await caches.match(request, { cacheName: STATIC, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(STATIC)).put(request, response.clone());
  return response;
};

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) event.respondWith(asset(request));
  else if (request.mode === "navigate") event.respondWith(page(request));
});
