/* Keyboard for the items list (the page works without it: checkboxes, radio buttons, one submit
   button). j/k next/previous item, x select it, 1-6 choose the decision and go to the field it
   needs, o open the item, / search. Keys typed into a text field are left alone. */
(function () {
  "use strict";
  var table = document.getElementById("items");
  var form = document.getElementById("batch");
  if (!table || !form) { return; }
  var current = -1;
  function rows() { return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-code]")); }
  function move(i) {
    var all = rows();
    if (!all.length) { return; }
    current = Math.max(0, Math.min(all.length - 1, i));
    all.forEach(function (r) { r.classList.remove("current"); });
    var row = all[current];
    row.classList.add("current");
    (row.querySelector("input[name=code]") || row.querySelector("a")).focus();
  }
  var NEXT_FIELD = { cancel: "reason", delegate: "receiver", transfer: "receiver", merge: "merge_into",
                     amend: "changes" };
  table.addEventListener("focusin", function (e) {
    var tr = e.target.closest("tr[data-code]");
    if (tr) { current = rows().indexOf(tr); }
  });
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      table.querySelectorAll("tbody input[name=code]").forEach(function (b) { b.checked = all.checked; });
    });
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target, tag = t.tagName;
    var typing = tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && t.type !== "checkbox" && t.type !== "radio" && t.type !== "submit");
    if (typing) { return; }
    var key = e.key;
    if (key === "j") { move(current + 1); }
    else if (key === "k") { move(current < 0 ? 0 : current - 1); }
    else if (key === "x") {
      if (current < 0) { move(0); }
      var box = rows()[current] && rows()[current].querySelector("input[name=code]");
      if (box) { box.checked = !box.checked; }
    } else if (key === "o") {
      var link = current >= 0 && rows()[current].querySelector("a.open");
      if (link) { window.location.href = link.href; }
    } else if (key === "/") {
      document.getElementById("q").focus();
    } else if (/^[1-6]$/.test(key)) {
      var radio = form.querySelector("input[name=kind][data-key='" + key + "']");
      if (!radio) { return; }
      radio.checked = true;
      var field = NEXT_FIELD[radio.value];
      (field ? document.getElementById(field) : document.getElementById("decide-selected")).focus();
    } else { return; }
    e.preventDefault();
  });
})();
