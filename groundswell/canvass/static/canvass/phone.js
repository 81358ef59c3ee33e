/* Groundswell canvassing, offline first (no libraries).
 *
 * The turf (doors, script, result codes) is downloaded once and kept in IndexedDB.
 * Every visit gets an id made here (a UUID) and is kept in IndexedDB until the server
 * acknowledges that id; only then is it removed. Sending happens on start (a replay of
 * whatever is left), when the connection returns, after each visit and every 30 s.
 * The server stores a visit id once, so sending again never duplicates anything.
 */
(function () {
  "use strict";

  var root = document.getElementById("canvass");
  if (!root) return;
  var T = JSON.parse(document.getElementById("canvass-texts").textContent);
  var DB_NAME = "groundswell-canvass";
  var BATCH = 100;
  var db = null;
  var turf = null;
  var code = null;
  var sending = false;
  var refusedIds = {};

  function $(id) { return document.getElementById(id); }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  function status(text) { $("status").textContent = text || ""; }

  // IndexedDB, as promises.
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var d = request.result;
        d.createObjectStore("meta");
        d.createObjectStore("visits", { keyPath: "id" });
        d.createObjectStore("done");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(store, mode, work) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(store, mode);
      var result = work(t.objectStore(store));
      t.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
      t.onerror = function () { reject(t.error); };
      t.onabort = function () { reject(t.error); };
    });
  }

  function get(store, key) { return tx(store, "readonly", function (s) { return s.get(key); }); }
  function put(store, value, key) {
    return tx(store, "readwrite", function (s) { return key === undefined ? s.put(value) : s.put(value, key); });
  }
  function all(store) { return tx(store, "readonly", function (s) { return s.getAll(); }); }
  function allKeys(store) { return tx(store, "readonly", function (s) { return s.getAllKeys(); }); }

  function removeVisits(ids) {
    return tx("visits", "readwrite", function (s) {
      ids.forEach(function (id) { s.delete(id); });
    });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // What is waiting to be sent.
  function showPending() {
    return all("visits").then(function (visits) {
      var n = visits.length;
      var box = $("pending").parentNode;
      $("pending").textContent = n ? format(n === 1 ? T.pendingOne : T.pendingOther, { count: n }) : T.allSent;
      box.classList.toggle("clear", n === 0);
      $("export").hidden = n === 0;
      return n;
    });
  }

  function download(name, type, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function csvCell(value) {
    var text = typeof value === "string" ? value : JSON.stringify(value);
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function exportVisits(kind) {
    all("visits").then(function (visits) {
      if (kind === "json") {
        download("unsent-visits.json", "application/json", JSON.stringify({ visits: visits }, null, 2));
        return;
      }
      var rows = [["id", "door", "result", "at", "person", "answers", "attributes", "note"]];
      visits.forEach(function (v) {
        rows.push([v.id, v.door, v.result, v.at, v.person || "", v.answers, v.attributes, v.note]);
      });
      download("unsent-visits.csv", "text/csv", rows.map(function (r) { return r.map(csvCell).join(","); }).join("\n"));
    });
  }

  // Sending: batches of BATCH; only acknowledged ids leave the phone.
  function send() {
    if (sending || !code) return Promise.resolve();
    sending = true;
    return all("visits").then(function (visits) {
      // Each visit goes with the code it was recorded under (a phone may change turfs).
      var byCode = {};
      visits.forEach(function (v) {
        if (refusedIds[v.id]) return;
        var key = v.code || code;
        (byCode[key] = byCode[key] || []).push(v);
      });
      var chain = Promise.resolve();
      Object.keys(byCode).forEach(function (key) {
        for (var i = 0; i < byCode[key].length; i += BATCH) {
          (function (batch) {
            chain = chain.then(function () { return post(batch, key); });
          })(byCode[key].slice(i, i + BATCH));
        }
      });
      return chain;
    }).catch(function (error) {
      if (error && error.message === "busy") {
        setTimeout(send, 2000 + Math.random() * 3000);
      } else if (!error || error.message !== "refused") {
        status(T.offline);
      }
    }).then(function () {
      sending = false;
      return showPending();
    });
  }

  function post(batch, batchCode) {
    var body = batch.map(function (v) {
      var copy = Object.assign({}, v);
      delete copy.code;
      return copy;
    });
    return fetch(root.dataset.visitsUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Canvass-Code": batchCode },
      body: JSON.stringify({ visits: body }),
      credentials: "omit",
      cache: "no-store",
    }).then(function (response) {
      if (response.status === 403) { status(T.refused); throw new Error("refused"); }
      // Busy, or this network sent too many wrong codes: kept; sent again later.
      if (response.status === 429 || response.status >= 500) throw new Error("busy");
      if (!response.ok) {
        // Kept here, never deleted: the organizer can take them from the export.
        batch.forEach(function (v) { refusedIds[v.id] = true; });
        status(T.rejected);
        return null;
      }
      return response.json().then(function (data) {
        status("");
        return removeVisits(data.acknowledged || []);
      });
    });
  }

  // The turf.
  function loadTurf(typed) {
    status(T.loading);
    return fetch(root.dataset.turfUrl, {
      headers: { "X-Canvass-Code": typed }, credentials: "omit", cache: "no-store",
    }).then(function (response) {
      if (response.status === 403) throw new Error(T.refused);
      if (!response.ok) throw new Error(T.loadFailed);
      return response.json();
    }).then(function (data) {
      code = typed;
      turf = data;
      return put("meta", { code: typed, turf: data }, "current");
    }).then(function () {
      status("");
      render();
    }).catch(function (error) {
      status(error && error.message && error.message !== "Failed to fetch" ? error.message : T.loadFailed);
      $("code-form").hidden = false;
    });
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function choiceGroup(legend, name, type, options) {
    var set = el("fieldset");
    set.appendChild(el("legend", {}, legend));
    options.forEach(function (option, i) {
      var label = el("label");
      var input = el("input", { type: type, name: name, value: option.value });
      if (type === "radio" && option.required) input.required = true;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + option.label));
      set.appendChild(label);
    });
    return set;
  }

  function visitForm(door, item) {
    var form = el("form", { "class": "visit-form", "data-door": door.id });
    var prefix = "d" + door.id + "-";
    form.appendChild(choiceGroup(T.result, prefix + "result", "radio", turf.results.map(function (r) {
      return { value: r.code, label: r.label, required: true };
    })));
    if (door.people.length) {
      form.appendChild(choiceGroup(T.who, prefix + "person", "radio", door.people.map(function (p) {
        return { value: String(p.id), label: p.name };
      }).concat([{ value: "", label: T.nobody }])));
    }
    turf.questions.forEach(function (q) {
      var name = prefix + "q" + q.id;
      if (q.kind === "single" || q.kind === "multiple") {
        form.appendChild(choiceGroup(q.text, name, q.kind === "single" ? "radio" : "checkbox",
          q.choices.map(function (c) { return { value: c, label: c }; })));
      } else if (q.kind === "scale") {
        form.appendChild(choiceGroup(q.text, name, "radio", [1, 2, 3, 4, 5].map(function (n) {
          return { value: String(n), label: String(n) };
        })));
      } else {
        var id = name + "-text";
        form.appendChild(el("label", { "for": id }, q.text));
        form.appendChild(el("textarea", { id: id, name: name, rows: "2", maxlength: "1000" }));
      }
    });
    var langId = prefix + "language";
    form.appendChild(el("label", { "for": langId }, T.language));
    form.appendChild(el("input", { type: "text", id: langId, name: "language", maxlength: "40" }));
    var noteId = prefix + "note";
    form.appendChild(el("label", { "for": noteId }, T.note));
    form.appendChild(el("textarea", { id: noteId, name: "note", rows: "2", maxlength: "500" }));
    var save = el("button", { type: "submit", "class": "button" }, T.save);
    var cancel = el("button", { type: "button", "class": "button" }, T.cancel);
    form.appendChild(save);
    form.appendChild(cancel);
    cancel.addEventListener("click", function () { form.remove(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var answers = {};
      turf.questions.forEach(function (q) {
        var name = prefix + "q" + q.id;
        if (q.kind === "multiple") {
          var values = data.getAll(name);
          if (values.length) answers[q.id] = values;
        } else if (q.kind === "scale") {
          if (data.get(name)) answers[q.id] = parseInt(data.get(name), 10);
        } else if (data.get(name)) {
          answers[q.id] = String(data.get(name));
        }
      });
      var person = data.get(prefix + "person");
      var language = String(data.get("language") || "").trim();
      var visit = {
        id: uuid(),
        door: door.id,
        result: String(data.get(prefix + "result")),
        at: new Date().toISOString(),
        answers: answers,
        attributes: language ? { language: language } : {},
        note: String(data.get("note") || "").trim(),
        person: person ? parseInt(person, 10) : null,
        code: code,
      };
      // Kept on the phone first; sent after.
      put("visits", visit).then(function () {
        return put("done", true, door.id);
      }).then(function () {
        form.remove();
        markDone(item);
        status(T.saved);
        askForSync();
        return showPending();
      }).then(send);
    });
    return form;
  }

  function askForSync() {
    // Background Sync, where there is one: sent even if the page is closed first.
    if (!("serviceWorker" in navigator) || navigator.onLine) return;  // online: sent now
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("canvass-visits");
    }).catch(function () {});
  }

  function markDone(item) {
    if (item.querySelector(".door-done")) return;
    item.querySelector(".door-head").appendChild(el("span", { "class": "door-done" }, "✓ " + T.visited));
  }

  function render() {
    $("code-form").hidden = true;
    $("turf").hidden = false;
    $("turf-name").textContent = turf.turf.name + " · " + turf.canvass.name;
    $("canvasser").textContent = turf.canvasser;
    var list = $("doors");
    list.textContent = "";
    allKeys("done").then(function (done) {
      var visited = {};
      done.forEach(function (id) { visited[id] = true; });
      turf.doors.forEach(function (door) {
        var item = el("li", { "class": "door", id: "door-" + door.id });
        var head = el("div", { "class": "door-head" });
        head.appendChild(el("span", { "class": "door-address" }, door.address + (door.unit ? " #" + door.unit : "")));
        head.appendChild(el("span", { "class": "door-code" }, door.code));
        item.appendChild(head);
        if (door.people.length) {
          item.appendChild(el("p", { "class": "muted" }, door.people.map(function (p) { return p.name; }).join(", ")));
        }
        var button = el("button", { type: "button", "class": "button record" }, T.record);
        button.setAttribute("aria-label", T.record + ": " + door.address + (door.unit ? " #" + door.unit : ""));
        button.addEventListener("click", function () {
          if (!item.querySelector("form")) item.appendChild(visitForm(door, item));
          item.querySelector("input").focus();
        });
        item.appendChild(button);
        list.appendChild(item);
        if (visited[door.id]) markDone(item);
      });
    });
  }

  function cacheShell() {
    // The page and its files, for a reload with no signal (the service worker serves them).
    if (!window.caches) return;
    var assets = JSON.parse(root.dataset.assets);
    caches.open("canvass-shell-v1").then(function (cache) { return cache.addAll(assets); }).catch(function () {});
  }

  function start() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/canvass/" }).catch(function () {});
    }
    cacheShell();
    // Ask the browser not to clear this site's storage under pressure (unsent visits).
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    $("export-json").addEventListener("click", function () { exportVisits("json"); });
    $("export-csv").addEventListener("click", function () { exportVisits("csv"); });
    $("code-form").addEventListener("submit", function (event) {
      event.preventDefault();
      loadTurf($("code").value.replace(/[^0-9a-z]/gi, "").toUpperCase());
    });
    window.addEventListener("online", send);
    setInterval(send, 30000);
    openDb().then(function (opened) {
      db = opened;
      var fromLink = /code=([0-9A-Za-z-]+)/.exec(location.hash);
      if (fromLink) history.replaceState(null, "", location.pathname);
      return get("meta", "current").then(function (stored) {
        var linked = fromLink ? fromLink[1].replace(/-/g, "").toUpperCase() : null;
        if (stored && (!linked || linked === stored.code)) {
          code = stored.code;
          turf = stored.turf;
          render();
        } else if (linked) {
          return loadTurf(linked);
        } else {
          $("code-form").hidden = false;
        }
      });
    }).then(showPending).then(send);  // the replay on start
  }

  start();
})();
