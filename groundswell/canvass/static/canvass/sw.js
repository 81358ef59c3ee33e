/* The canvassing app's service worker, served at /canvass/sw.js (scope /canvass/).
 *
 * It keeps the page and its files (the page puts them in the "canvass-shell-v1" cache
 * itself, and every later fetch refreshes them) so that the page opens with no signal.
 * Network first, the cache when the network fails. The API is never cached: the turf
 * and the unsent visits live in IndexedDB, handled by the page.
 */
"use strict";

var CACHE = "canvass-shell-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/canvass/api/") === 0) return;
  var page = request.mode === "navigate" && url.pathname === "/canvass/";
  var asset = url.pathname.indexOf("/static/") !== -1;
  if (!page && !asset) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(page ? "/canvass/" : request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(page ? "/canvass/" : request, { ignoreSearch: page }).then(function (hit) {
        return hit || Response.error();
      });
    })
  );
});
