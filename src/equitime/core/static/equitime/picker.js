/* The checkbox picker (core.forms.CheckboxGroups), enhanced: a filter box that
   hides the choices that do not match and the groups left empty, says how many
   match in a polite live region, and a summary of what is chosen that follows
   the ticks. Without this script every checkbox shows and the form works the same. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) {
      return key in values ? String(values[key]) : "";
    });
  }

  // Lower case, without accents, spaces squeezed: "Siobhán" matches "siobhan".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // The sentence for a count in the page's language: the server writes one per
  // CLDR plural category (data-shown-one, -two, -few, ...; core.forms), and the
  // browser's Intl.PluralRules says which category a count falls in (Arabic has
  // six, Welsh six, English two). "other" is always there.
  function plural(picker, name, count) {
    var category = "other";
    try {
      category = new Intl.PluralRules(document.documentElement.lang || "en").select(count);
    } catch (error) { /* an unknown language: "other" */ }
    var key = name + category.charAt(0).toUpperCase() + category.slice(1);
    return picker.dataset[key] || picker.dataset[name + "Other"];
  }

  function enhance(picker) {
    var input = picker.querySelector("[data-picker-input]");
    var status = picker.querySelector("[data-picker-status]");
    var summary = picker.querySelector("[data-picker-summary]");
    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-group]"));
    var total = Number(picker.dataset.total);
    var timer = null;

    var options = [];
    groups.forEach(function (group) {
      var legend = group.querySelector("legend");
      var groupName = legend ? fold(legend.textContent) : "";
      group.querySelectorAll("li").forEach(function (item) {
        options.push({ item: item, group: group, text: fold(item.textContent), groupName: groupName });
      });
    });

    function announce(text) {
      // Said once the typing pauses, not at every key.
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { status.textContent = text; }, 400);
    }

    function filter() {
      var query = fold(input.value);
      var shown = 0;
      var visible = new Set();
      options.forEach(function (option) {
        var match = !query || option.text.indexOf(query) !== -1 || option.groupName.indexOf(query) !== -1;
        option.item.hidden = !match;
        if (match) {
          shown += 1;
          visible.add(option.group);
        }
      });
      groups.forEach(function (group) { group.hidden = !visible.has(group); });
      if (!query) {
        announce(fill(picker.dataset.shownAll, { total: total }));
      } else if (shown === 0) {
        announce(fill(picker.dataset.shownNone, { query: input.value.trim() }));
      } else {
        var template = plural(picker, "shown", shown);
        announce(fill(template, { shown: shown, total: total, query: input.value.trim() }));
      }
    }

    function summarise() {
      var names = [];
      picker.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        var label = picker.querySelector('label[for="' + box.id + '"]');
        names.push(label ? label.textContent.trim() : box.value);
      });
      if (!names.length) {
        summary.textContent = picker.dataset.chosenNone;
      } else {
        var template = plural(picker, "chosen", names.length);
        summary.textContent = fill(template, { count: names.length, names: names.join(", ") });
      }
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter in the filter box narrows the list; it must not send the form.
        event.preventDefault();
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        filter();
      }
    });
    picker.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") {
        summarise();
      }
    });
    picker.querySelector("[data-picker-filter]").hidden = false;
    // A browser that kept the box's text over a reload (back button) filters by it.
    if (input.value) {
      filter();
    }
    summarise();
  }

  function start() {
    document.querySelectorAll("[data-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
