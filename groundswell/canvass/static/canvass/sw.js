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

/* Background Sync, where the browser has it: the page asks for a "canvass-visits" sync
 * after each visit, and the browser wakes this worker when the connection returns,
 * even with the page closed. It sends what the page keeps in IndexedDB the way the
 * page does (each visit with the code it was recorded under; only acknowledged ids
 * are removed). The page and this worker may both send a visit: the server keeps it
 * once. Without Background Sync the page's replay on start does the same. */
function idb() {
  return new Promise(function (resolve, reject) {
    var request = indexedDB.open("groundswell-canvass", 1);
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
    request.onupgradeneeded = function () { request.transaction.abort(); };
  });
}

function readAll(db, store) {
  return new Promise(function (resolve, reject) {
    var request = db.transaction(store).objectStore(store).getAll();
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
}

function removeAll(db, ids) {
  return new Promise(function (resolve, reject) {
    var t = db.transaction("visits", "readwrite");
    ids.forEach(function (id) { t.objectStore("visits").delete(id); });
    t.oncomplete = resolve;
    t.onerror = function () { reject(t.error); };
  });
}

function post(db, code, batch) {
  var body = batch.map(function (v) {
    var copy = Object.assign({}, v);
    delete copy.code;
    return copy;
  });
  return fetch("/canvass/api/visits", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Canvass-Code": code },
    body: JSON.stringify({ visits: body }),
    credentials: "omit",
  }).then(function (response) {
    // Busy, or too many wrong codes from this network: the browser retries.
    if (response.status === 429 || response.status >= 500) throw new Error("try again");
    return response.ok ? response.json().then(function (data) {
      return removeAll(db, data.acknowledged || []);
    }) : null;
  });
}

function sendKept() {
  return idb().then(function (db) {
    return readAll(db, "visits").then(function (visits) {
      var byCode = {};
      visits.forEach(function (v) {
        if (!v.code) return;
        (byCode[v.code] = byCode[v.code] || []).push(v);
      });
      var chain = Promise.resolve();
      Object.keys(byCode).forEach(function (code) {
        for (var i = 0; i < byCode[code].length; i += 100) {
          (function (batch) {
            chain = chain.then(function () { return post(db, code, batch); });
          })(byCode[code].slice(i, i + 100));
        }
      });
      return chain;
    });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "canvass-visits") event.waitUntil(sendKept());
});
