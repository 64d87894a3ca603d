/* Equitime: the little script every page loads. Everything works without it:
   it makes the disclosures (the menu, the account's drop-down, the filters)
   behave like the menus people know. */
(function () {
  "use strict";

  function query(details) {
    return window.matchMedia(details.getAttribute("data-open-from"));
  }

  // A disclosure with data-open-from="(media query)" is always open where the
  // query matches (the stylesheet hides its button there) and folds where it
  // does not. The stylesheet already shows its content on browsers that style
  // ::details-content; this opens it on the others too.
  function followMedia(details) {
    var media = query(details);
    function apply() {
      details.open = media.matches;
    }
    apply();
    media.addEventListener("change", apply);
  }

  // The folded disclosures that are open around an element, innermost first.
  function openAround(element) {
    var found = [];
    for (var node = element; node && node.closest; node = node.parentElement) {
      node = node.closest("details[data-open-from][open]");
      if (!node) {
        break;
      }
      if (!query(node).matches) {
        found.push(node);
      }
    }
    return found;
  }

  // Escape shuts the innermost open menu and puts focus back on its button.
  function closeOnEscape(event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = openAround(event.target);
    if (open.length) {
      open[0].open = false;
      open[0].querySelector("summary").focus();
    }
  }

  // A click or focus elsewhere shuts a drop-down, as it does any menu.
  function closeOthers(event) {
    document.querySelectorAll("details[data-open-from][open]").forEach(function (details) {
      if (!details.contains(event.target) && !query(details).matches) {
        details.open = false;
      }
    });
  }

  function start() {
    document.querySelectorAll("details[data-open-from]").forEach(followMedia);
    document.addEventListener("keydown", closeOnEscape);
    document.addEventListener("click", closeOthers);
    document.addEventListener("focusin", closeOthers);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
