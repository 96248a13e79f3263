// gloss serve: live reload. Injected into every HTML page by the dev
// server only; never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  var key = "gloss-scroll:" + location.pathname;

  // Put the reader back where they were before the reload.
  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(key) || "null");
      sessionStorage.removeItem(key);
    } catch (e) {}
    if (saved && typeof saved.x === "number" && typeof saved.y === "number") {
      window.scrollTo(saved.x, saved.y);
    }
  }
  if (document.readyState === "complete") {
    restoreScroll();
  } else {
    window.addEventListener("load", restoreScroll);
  }

  function reload() {
    try {
      sessionStorage.setItem(key, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) {}
    location.reload();
  }

  // Swap each stylesheet for a fresh copy, removing the old one only once
  // the new one has loaded, so the page never shows unstyled.
  function swapStyles() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("gloss-reload", Date.now().toString());
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function showError(text) {
    var old = document.getElementById("gloss-overlay");
    if (old) old.remove();
    var box = document.createElement("div");
    box.id = "gloss-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);" +
      "color:#f5f5f5;padding:2rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var head = document.createElement("p");
    head.style.cssText = "margin:0 0 1rem;color:#ff8080;font-weight:bold";
    head.textContent = "gloss: the last rebuild failed; showing the last good version underneath";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    pre.textContent = text; // text, never HTML
    box.appendChild(head);
    box.appendChild(pre);
    document.body.appendChild(box);
  }

  if (!window.EventSource) return;
  var events = new EventSource("/__gloss/events");
  events.onmessage = function (event) {
    var message;
    try {
      message = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    var fresh = String(message.version) !== String(version);
    switch (message.kind) {
      case "hello":
        // A rebuild happened between loading this page and connecting.
        if (fresh) reload();
        break;
      case "reload":
        reload();
        break;
      case "css":
        version = String(message.version);
        swapStyles();
        break;
      case "error":
        version = String(message.version);
        showError(message.text);
        break;
    }
  };
})();
