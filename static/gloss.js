// gloss: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Filter boxes: <input data-filter="CSS selector"> hides the matching
  // elements whose data-name (or text) does not contain what was typed;
  // accents and case are ignored. A speaker button or ?speaker= in the URL
  // picks one name exactly, so "Omar" does not also keep "Hassan Omar".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim().toLowerCase();
  }
  function applyFilter(input, exact) {
    var needle = fold(input.value);
    document.querySelectorAll(input.getAttribute("data-filter")).forEach(function (item) {
      var hay = fold(item.getAttribute("data-name") || item.textContent);
      item.hidden = needle !== "" && (exact ? hay !== needle : hay.indexOf(needle) === -1);
    });
    document.querySelectorAll("[data-set-filter]").forEach(function (button) {
      if (document.querySelector(button.getAttribute("data-set-filter")) === input) {
        button.setAttribute("aria-pressed", String(exact && fold(button.value) === needle));
      }
    });
  }
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    input.addEventListener("input", function () { applyFilter(input, false); });
    // A filter box filters in place: Enter must not submit its form. (No
    // inline onsubmit: pages carry no event-handler attributes at all.)
    if (input.form) input.form.addEventListener("submit", function (event) { event.preventDefault(); });
    var wanted = new URLSearchParams(location.search).get("speaker");
    if (wanted) { input.value = wanted; applyFilter(input, true); }
  });
  // Buttons that fill a filter box (the speakers on /quotes/); a second
  // press clears it.
  document.querySelectorAll("[data-set-filter]").forEach(function (button) {
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-set-filter"));
      if (!input) return;
      input.value = button.getAttribute("aria-pressed") === "true" ? "" : button.value;
      applyFilter(input, true);
    });
  });

  // Hovercards: hovering or focusing an entity link shows a small card from
  // the entity's card.json (written at build time); Escape, leaving the link
  // and the card, or a tap elsewhere hides it. Touch: the first tap shows the
  // card, a second tap follows the link.
  var cards = {};
  var card = null;
  var owner = null;
  var wanted = null;
  var hideTimer = null;
  function cardUrl(link) {
    var href = link.getAttribute("href") || "";
    return href.replace(/[?#].*$/, "").replace(/\/?$/, "/") + "card.json";
  }
  function load(link) {
    var url = cardUrl(link);
    if (!cards[url]) {
      cards[url] = fetch(url).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }
    return cards[url];
  }
  function hide() {
    clearTimeout(hideTimer);
    wanted = null;
    if (card) { card.remove(); card = null; }
    if (owner) { owner.removeAttribute("aria-describedby"); owner = null; }
  }
  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      if (card && (card.matches(":hover") || (owner && owner.matches(":hover, :focus")))) return;
      hide();
    }, 200);
  }
  function place(link) {
    // Under the link's last line (it may wrap), or above its first when
    // there is no room below; never wider than the window.
    var rects = link.getClientRects();
    var first = rects[0], last = rects[rects.length - 1];
    var width = document.documentElement.clientWidth;
    var left = Math.min(last.left, width - card.offsetWidth - 8);
    var top = last.bottom + 6;
    if (top + card.offsetHeight > window.innerHeight && first.top - card.offsetHeight - 6 > 0) {
      top = first.top - card.offsetHeight - 6;
    }
    card.style.left = (window.scrollX + Math.max(8, left)) + "px";
    card.style.top = (window.scrollY + top) + "px";
  }
  function show(link) {
    clearTimeout(hideTimer);
    if (owner === link) return;
    wanted = link;
    load(link).then(function (data) {
      if (!data || wanted !== link) return;
      hide();
      card = document.createElement("div");
      card.className = "hovercard";
      card.id = "gloss-hovercard";
      card.setAttribute("role", "tooltip");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = data.kind;
      var name = document.createElement("strong");
      name.textContent = data.name;
      card.appendChild(kind);
      card.appendChild(name);
      if (data.description) {
        var p = document.createElement("p");
        p.textContent = data.description;
        card.appendChild(p);
      }
      var count = document.createElement("p");
      var a = document.createElement("a");
      a.href = data.url;
      // The entity link itself goes there: keep Tab on the page's own links.
      a.tabIndex = -1;
      a.textContent = data.articles + (data.articles === 1 ? " briefing" : " briefings") + " →";
      count.appendChild(a);
      card.appendChild(count);
      card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      card.addEventListener("mouseleave", hideSoon);
      document.body.appendChild(card);
      place(link);
      owner = link;
      link.setAttribute("aria-describedby", card.id);
    });
  }
  var touchedAt = 0;
  var shownAtTouch = false;
  document.querySelectorAll("a[data-entity]").forEach(function (link) {
    var timer = null;
    link.addEventListener("pointerenter", function (event) {
      if (event.pointerType === "touch") return;
      timer = setTimeout(function () { show(link); }, 150);
    });
    link.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "touch") return;
      clearTimeout(timer);
      if (wanted === link && owner !== link) wanted = null;
      hideSoon();
    });
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("blur", hideSoon);
    link.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "touch") return;
      touchedAt = Date.now();
      shownAtTouch = owner === link;
    });
    link.addEventListener("click", function (event) {
      if (Date.now() - touchedAt > 1000 || shownAtTouch) return;
      event.preventDefault();
      show(link);
    });
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
  document.addEventListener("pointerdown", function (event) {
    if (card && !card.contains(event.target) && !event.target.closest("a[data-entity]")) hide();
  });
})();
