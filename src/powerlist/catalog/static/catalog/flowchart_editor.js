// The item form's flowchart as rows of steps (name, handled by, working days) with add, remove
// and move. The rows write the textarea's lines (名称｜承办岗位｜时限), which is what the server reads;
// without this script the textarea is edited by hand. A chart kept as JSON (branches) is left alone.
(function () {
  "use strict";
  function build(box) {
    var area = box.querySelector("textarea");
    if (!area || area.value.trim().charAt(0) === "{") return;
    var d = box.dataset, table = document.createElement("table"), body = document.createElement("tbody");
    table.className = "flowchart-rows";
    var head = document.createElement("thead");
    head.innerHTML = "<tr><th>#</th><th></th><th></th><th></th><th></th></tr>";
    var cells = head.querySelectorAll("th");
    cells[1].textContent = d.name; cells[2].textContent = d.role; cells[3].textContent = d.limit;
    table.appendChild(head); table.appendChild(body);
    function sync() {
      var lines = [];
      Array.prototype.forEach.call(body.rows, function (row, i) {
        row.cells[0].textContent = i + 1;
        var parts = Array.prototype.map.call(row.querySelectorAll("input"), function (input) { return input.value.trim(); });
        if (!parts[0]) return;
        while (parts.length > 1 && !parts[parts.length - 1]) parts.pop();
        lines.push(parts.join("｜"));
      });
      area.value = lines.join("\n");
    }
    function button(label, text, act) {
      var b = document.createElement("button");
      b.type = "button"; b.textContent = text; b.title = label; b.setAttribute("aria-label", label);
      b.addEventListener("click", function () { act(b.closest("tr")); sync(); });
      return b;
    }
    function addRow(name, role, limit) {
      var row = body.insertRow(-1);
      row.insertCell(-1);
      [[name, d.name, "text"], [role, d.role, "text"], [limit, d.limit, "number"]].forEach(function (f) {
        var input = document.createElement("input");
        input.type = f[2]; input.value = f[0] || ""; input.setAttribute("aria-label", f[1]);
        if (f[2] === "number") { input.min = "0"; input.style.width = "5em"; }
        input.addEventListener("input", sync);
        row.insertCell(-1).appendChild(input);
      });
      var tools = row.insertCell(-1);
      tools.appendChild(button(d.up, "↑", function (r) { if (r.previousElementSibling) body.insertBefore(r, r.previousElementSibling); }));
      tools.appendChild(button(d.down, "↓", function (r) { if (r.nextElementSibling) body.insertBefore(r.nextElementSibling, r); }));
      tools.appendChild(button(d.remove, "✕", function (r) { r.remove(); }));
      return row;
    }
    var text = area.value.trim(), lines = text ? text.split(/\n/) : [];
    if (lines.length === 1 && /→|->|=>/.test(lines[0]) && !/[｜|]/.test(lines[0])) lines = lines[0].split(/\s*(?:→|->|=>)\s*/);
    lines.forEach(function (line) { if (line.trim()) addRow.apply(null, line.split(/\s*[｜|]\s*/)); });
    var add = document.createElement("button");
    add.type = "button"; add.className = "flowchart-add"; add.textContent = d.add;
    add.addEventListener("click", function () { addRow("", "", "").querySelector("input").focus(); sync(); });
    area.hidden = true;
    area.parentNode.insertBefore(table, area);
    area.parentNode.insertBefore(add, area);
    sync();
  }
  function start() { document.querySelectorAll(".flowchart-editor").forEach(build); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
