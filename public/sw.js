// The service worker that keeps layerlab working offline (issue 6 §6). Registered by boot.js.
//
// On install it caches the app: index.html, every file index.html names (the hashed app
// script, wasm, stylesheets, icon), and each worker's loader with the glue and wasm the loader
// names (found by reading the loaders, so new workers need only be listed in LOADERS). It
// never talks to anything but the site's own origin.
//
// Requests: network first, so an online visit always gets the newest files, and each answer
// refreshes the cache; when the network fails, the cached copy answers.
const CACHE = "layerlab-app-v1";
const LOADERS = [
  "worker_loader.js",
  "sim_worker_loader.js",
  "image_worker_loader.js",
  "image_view_loader.js",
];

const here = (path) => new URL(path, self.registration.scope).href;

/** The relative URLs an HTML or loader text names (href, src, data-js, data-wasm,
 *  importScripts, module_or_path). */
function namedFiles(text) {
  const found = new Set();
  const patterns = [
    /(?:href|src|data-js|data-wasm)="([^"#?:]+)"/g,
    /importScripts\("([^"]+)"\)/g,
    /module_or_path:\s*"([^"]+)"/g,
    /\.src = "([^"]+)"/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.add(match[1]);
  }
  return [...found].filter((path) => !path.startsWith("/") && !path.startsWith("//"));
}

async function fetchText(cache, url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) return null;
  await cache.put(url, response.clone());
  return response.text();
}

async function precache() {
  const cache = await caches.open(CACHE);
  const index = await fetchText(cache, here("./"));
  if (index === null) throw new Error("layerlab: index.html is missing; nothing cached");
  await cache.put(here("./index.html"), await cache.match(here("./")));
  const files = new Set(namedFiles(index).map(here));
  for (const loader of LOADERS) {
    const text = await fetchText(cache, here(loader));
    if (text !== null) namedFiles(text).forEach((path) => files.add(here(path)));
  }
  await Promise.all([...files].map(async (url) => {
    const response = await fetch(url, { cache: "no-cache" });
    if (response.ok) await cache.put(url, response);
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE && name.startsWith("layerlab-")) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (offline) {
      // The page's own address may carry a query (?embed): the app is the same file.
      const cached = (await cache.match(request, { ignoreSearch: request.mode === "navigate" }))
        ?? (request.mode === "navigate" ? await cache.match(here("./")) : undefined);
      if (cached) return cached;
      throw offline;
    }
  })());
});
