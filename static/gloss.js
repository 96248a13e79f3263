// gloss: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Filter boxes: <input data-filter="CSS selector"> hides the matching
  // elements whose data-name (or text) does not contain what was typed.
  function applyFilter(input) {
    var needle = input.value.trim().toLowerCase();
    document.querySelectorAll(input.getAttribute("data-filter")).forEach(function (item) {
      var hay = (item.getAttribute("data-name") || item.textContent).toLowerCase();
      item.hidden = needle !== "" && hay.indexOf(needle) === -1;
    });
  }
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    input.addEventListener("input", function () { applyFilter(input); });
    // A filter box filters in place: Enter must not submit its form. (No
    // inline onsubmit: pages carry no event-handler attributes at all.)
    if (input.form) input.form.addEventListener("submit", function (event) { event.preventDefault(); });
    var wanted = new URLSearchParams(location.search).get("speaker");
    if (wanted) { input.value = wanted; applyFilter(input); }
  });
  // Buttons that fill a filter box (the speakers on /quotes/).
  document.querySelectorAll("[data-set-filter]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-set-filter"));
      if (!input) return;
      input.value = input.value === button.value ? "" : button.value;
      applyFilter(input);
    });
  });

  // Hovercards: hovering or focusing an entity link shows a small card from
  // the entity's card.json (written at build time). Touch: the first tap
  // shows the card, a second tap follows the link.
  var cards = {};
  var card = null;
  var owner = null;
  function cardUrl(link) {
    var href = link.getAttribute("href") || "";
    return href.replace(/#.*$/, "").replace(/\/?$/, "/") + "card.json";
  }
  function load(link) {
    var url = cardUrl(link);
    if (!cards[url]) {
      cards[url] = fetch(url).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }
    return cards[url];
  }
  function hide() {
    if (card) { card.remove(); card = null; }
    if (owner) { owner.removeAttribute("aria-describedby"); owner = null; }
  }
  function show(link) {
    load(link).then(function (data) {
      if (!data) return;
      hide();
      card = document.createElement("div");
      card.className = "hovercard";
      card.id = "gloss-hovercard";
      card.setAttribute("role", "tooltip");
      var name = document.createElement("strong");
      name.textContent = data.name;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = data.kind;
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
      a.textContent = data.articles + (data.articles === 1 ? " briefing" : " briefings") + " →";
      count.appendChild(a);
      card.appendChild(count);
      document.body.appendChild(card);
      var box = link.getBoundingClientRect();
      var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - card.offsetWidth - 8);
      card.style.left = Math.max(8, left) + "px";
      card.style.top = (window.scrollY + box.bottom + 6) + "px";
      owner = link;
      link.setAttribute("aria-describedby", card.id);
    });
  }
  document.querySelectorAll("a[data-entity]").forEach(function (link) {
    var timer = null;
    link.addEventListener("mouseenter", function () { timer = setTimeout(function () { show(link); }, 150); });
    link.addEventListener("mouseleave", function () {
      clearTimeout(timer);
      setTimeout(function () { if (card && !card.matches(":hover")) hide(); }, 200);
    });
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("blur", function () { setTimeout(function () { if (card && !card.contains(document.activeElement)) hide(); }, 100); });
    link.addEventListener("touchend", function (event) {
      if (owner !== link) { event.preventDefault(); show(link); }
    });
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
  document.addEventListener("click", function (event) { if (card && !card.contains(event.target) && !event.target.closest("a[data-entity]")) hide(); });
})();
