/* The sign form's proof-of-work, ALTCHA-style (see groundswell/petitions/challenge.py).
 *
 * Loaded only on petitions whose organizers switched the challenge on. It starts when the
 * reader begins to fill in the form, not on every page view (crowds read without signing):
 * it fetches a fresh challenge, searches for the secret number with WebCrypto's SHA-256 in
 * batches that hand the page back between them, and puts the base64 JSON solution in the
 * form's hidden `altcha` field. A submit before the search ends waits for it. If anything
 * fails the form is still sent: the server keeps that signature for the organizers to
 * review. The texts come translated from the page's data- attributes.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-challenge-url]");
  if (!form) {
    return;
  }
  var field = form.querySelector('input[name="altcha"]');
  var status = form.querySelector("[data-challenge-status]");
  var BATCH = 1000; // digests started together before the page gets a turn
  var FRESH_MS = 9 * 60 * 1000; // the server accepts a solution for 10 minutes
  var FETCH_TIMEOUT_MS = 15000;

  var state = "idle"; // idle | working | done | failed
  var fetchedAt = 0;
  var running = null; // the promise of the current search
  var sending = false;

  function say(key) {
    if (status) {
      status.textContent = form.dataset[key] || "";
    }
  }

  function bytesOf(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) {
      bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    }
    return bytes;
  }

  function same(buffer, target) {
    var bytes = new Uint8Array(buffer);
    for (var i = 0; i < target.length; i++) {
      if (bytes[i] !== target[i]) {
        return false;
      }
    }
    return true;
  }

  // Give the page a turn between batches. A message, not setTimeout(0): browsers hold
  // nested timeouts back 4 ms each, which would add a third to the search.
  var channel = new MessageChannel();
  var resumes = [];
  channel.port1.onmessage = function () {
    resumes.shift()();
  };
  function pause() {
    return new Promise(function (resolve) {
      resumes.push(resolve);
      channel.port2.postMessage(null);
    });
  }

  async function search(challenge) {
    var target = bytesOf(challenge.challenge);
    var encoder = new TextEncoder();
    var subtle = window.crypto.subtle; // absent outside HTTPS: the search fails
    for (var start = 0; start <= challenge.maxnumber; start += BATCH) {
      var end = Math.min(start + BATCH, challenge.maxnumber + 1);
      var digests = [];
      for (var n = start; n < end; n++) {
        digests.push(subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      var results = await Promise.all(digests);
      for (var i = 0; i < results.length; i++) {
        if (same(results[i], target)) {
          return start + i;
        }
      }
      await pause();
    }
    throw new Error("no number solves the challenge");
  }

  async function solve() {
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, FETCH_TIMEOUT_MS);
    fetchedAt = Date.now();
    var response;
    try {
      response = await fetch(form.dataset.challengeUrl, {
        cache: "no-store",
        credentials: "omit",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      throw new Error("challenge: HTTP " + response.status);
    }
    var challenge = await response.json();
    if (challenge.algorithm !== "SHA-256") {
      throw new Error("challenge: unknown algorithm " + challenge.algorithm);
    }
    var number = await search(challenge);
    return window.btoa(
      JSON.stringify({
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number: number,
        salt: challenge.salt,
        signature: challenge.signature,
      })
    );
  }

  function fresh() {
    return state === "done" && Date.now() - fetchedAt < FRESH_MS;
  }

  /* Start a search unless one is running or done and still fresh; resolves when it ends. */
  function start() {
    if (state === "working" || fresh()) {
      return running;
    }
    state = "working";
    field.value = "";
    say("challengeWorking");
    running = solve().then(
      function (solution) {
        field.value = solution;
        state = "done";
        say("challengeDone");
      },
      function () {
        field.value = "";
        state = "failed";
        say("challengeFailed");
      }
    );
    return running;
  }

  function reset() {
    state = "idle";
    running = null;
    sending = false;
    field.value = ""; // a solution restored with the page has been used
    say("");
  }

  reset();
  form.addEventListener("focusin", function () {
    if (state === "idle") {
      start();
    }
  });
  form.addEventListener("submit", function (event) {
    if (fresh()) {
      return;
    }
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    // After a failure, try once more; whatever happens, the signature is then sent.
    start().then(function () {
      form.submit();
    });
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      reset();
    }
  });
})();
