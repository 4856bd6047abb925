/* Moderation queue keyboard shortcuts: j/k move, x select, a approve, s spam, t trash, r restore.
   Also the "select all" checkbox. Plain DOM, no inline handlers (strict CSP). */
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll(".mod-row"));
  var current = -1;

  function focusRow(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    rows[current].focus();
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function press(key) {
    if (current < 0) return;
    var button = rows[current].querySelector('button[data-key="' + key + '"]');
    if (button) button.click();
  }

  var selectAll = document.querySelector(".mod-select-all");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      document.querySelectorAll('.mod-row input[name="ids"]').forEach(function (box) {
        box.checked = selectAll.checked;
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName) && target.type !== "checkbox") return;
    switch (event.key) {
      case "j": focusRow(current + 1); break;
      case "k": focusRow(current - 1); break;
      case "x":
        if (current >= 0) {
          var box = rows[current].querySelector('input[name="ids"]');
          if (box) box.checked = !box.checked;
        }
        break;
      case "a": case "s": case "t": case "r": press(event.key); break;
      default: return;
    }
    event.preventDefault();
  });
})();
