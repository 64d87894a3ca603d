/*
 * The colleague picker: a text box for a colleague's name becomes a WAI-ARIA 1.2
 * combobox (list autocomplete). Without this script the form still works: the
 * server resolves the typed name (members/picker.py).
 *
 * Keys: Down/Up move through the suggestions (Down opens them), Enter chooses
 * the highlighted one, Escape closes the list (a second Escape clears the box),
 * Tab leaves as usual. A polite live region says how many colleagues match.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function enhance(root) {
    var input = root.querySelector("input[type=text]");
    var listbox = root.querySelector("[role=listbox]");
    var status = root.querySelector("[data-colleague-status]");
    var url = root.getAttribute("data-search-url");
    if (!input || !listbox || !status || !url) return;

    var hidden = root.querySelector("[data-colleague-id]");
    if (!hidden) {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = input.name + "_id";
      hidden.setAttribute("data-colleague-id", "");
      root.appendChild(hidden);
    }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    status.setAttribute("aria-live", "polite");

    var results = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var asked = "";

    function optionId(index) {
      return listbox.id + "_option_" + index;
    }

    function say(text) {
      // Cleared first, so the same words said twice are heard twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      listbox.textContent = "";
      results.forEach(function (person, index) {
        var option = document.createElement("li");
        option.id = optionId(index);
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "colleague-picker__option";
        var name = document.createElement("span");
        name.className = "colleague-picker__name";
        name.textContent = person.name;
        option.appendChild(name);
        if (person.detail) {
          var detail = document.createElement("span");
          detail.className = "colleague-picker__detail";
          detail.textContent = " " + person.detail;
          option.appendChild(detail);
        }
        // mousedown, not click: choosing must happen before the box loses focus.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        listbox.appendChild(option);
      });
      if (results.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }


    function choose(index) {
      var person = results[index];
      if (!person) return;
      input.value = person.name;
      hidden.value = String(person.id);
      asked = input.value;
      // A choice made here replaces any list the server sent back.
      var matches = root.querySelector("[data-colleague-matches]");
      if (matches) matches.remove();
      close();
      say((root.getAttribute("data-chosen") || "%(name)s").replace("%(name)s", person.name));
    }

    function search() {
      var text = input.value.trim();
      if (text === asked) return;
      asked = text;
      if (pending) pending.abort();
      if (!text) {
        results = [];
        close();
        return;
      }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          if (input.value.trim() !== text) return;
          results = data.results || [];
          render();
          say(data.summary || "");
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          // The form still works: the server will look the name up on submit.
          results = [];
          close();
        });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!open) {
            if (results.length) { render(); highlight(0); } else { asked = ""; search(); }
          } else {
            highlight(active + 1 < results.length ? active + 1 : 0);
          }
          break;
        case "ArrowUp":
          if (open) {
            event.preventDefault();
            highlight(active > 0 ? active - 1 : results.length - 1);
          }
          break;
        case "Enter":
          if (open && active >= 0) {
            event.preventDefault();  // choose, do not submit the form yet
            choose(active);
          }
          break;
        case "Escape":
          if (open) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            hidden.value = "";
            asked = "";
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function start() {
    var roots = document.querySelectorAll("[data-colleague-picker]");
    for (var i = 0; i < roots.length; i++) enhance(roots[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
