// Coalition's service worker (served at /sw.js by coalition.views.service_worker, which puts
// self.COALITION_OFFLINE = {version, page, static} in front of this file).
//
// - The quick log page: network first; when the network fails, the copy kept from the last
//   visit, so the page opens with no network. Only the page itself is kept (never a
//   redirect to the sign-in page or an error page).
// - The static files the quick log needs: cache first, in a cache named after their
//   version (a hash of their content), so a new deploy replaces them all at once.
// - Everything else, every other page included: the network only, never a cached copy.
(function (CONFIG) {
  "use strict";

  var STATIC_CACHE = "coalition-static-" + CONFIG.version;
  var PAGE_CACHE = "coalition-page-" + CONFIG.version;
  var STATIC_URLS = CONFIG.static.map(function (url) { return new URL(url, self.location.href).href; });

  function keepPage(response) {
    if (!response.ok || response.type !== "basic" || response.redirected) { return Promise.resolve(response); }
    var copy = response.clone();
    return caches.open(PAGE_CACHE)
      .then(function (cache) { return cache.put(CONFIG.page, copy); })
      .then(function () { return response; }, function () { return response; });
  }

  self.addEventListener("install", function (event) {
    event.waitUntil(
      caches.open(STATIC_CACHE)
        .then(function (cache) { return cache.addAll(STATIC_URLS); })
        // The page too, so that it opens offline before the next visit (kept only when signed in).
        .then(function () {
          return fetch(CONFIG.page, { credentials: "same-origin", redirect: "manual" })
            .then(keepPage).catch(function () {});
        })
        .then(function () { return self.skipWaiting(); })
    );
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("coalition-") === 0 && name !== STATIC_CACHE && name !== PAGE_CACHE;
        }).map(function (name) { return caches.delete(name); }));
      }).then(function () { return self.clients.claim(); })
    );
  });

  function pageNetworkFirst(request) {
    return fetch(request).then(keepPage, function (error) {
      return caches.open(PAGE_CACHE)
        .then(function (cache) { return cache.match(CONFIG.page); })
        .then(function (cached) {
          if (cached) { return cached; }
          throw error;
        });
    });
  }

  function staticCacheFirst(request) {
    return caches.open(STATIC_CACHE).then(function (cache) {
      return cache.match(request).then(function (cached) {
        return cached || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
    });
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") { return; }
    var url = new URL(request.url);
    if (request.mode === "navigate") {
      if (url.origin === self.location.origin && url.pathname === CONFIG.page) {
        event.respondWith(pageNetworkFirst(request));
      }
      return;
    }
    if (STATIC_URLS.indexOf(url.href) !== -1) {
      event.respondWith(staticCacheFirst(request));
    }
  });
})(self.COALITION_OFFLINE);
