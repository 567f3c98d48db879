// The live monitor: refresh the per-unit table in place every 15 seconds.
(function () {
  "use strict";
  var box = document.querySelector("[data-monitor-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-monitor-url");
  var table = document.getElementById("monitor");
  var updated = document.getElementById("monitor-updated");

  function cell(tag, text, numeric) {
    var element = document.createElement(tag);
    element.textContent = String(text);
    if (numeric) { element.className = "num"; }
    return element;
  }

  function row(tag, name, counts) {
    var tr = document.createElement("tr");
    tr.appendChild(cell(tag, name, false));
    ["eligible", "started", "submitted"].forEach(function (key) {
      tr.appendChild(cell(tag, counts[key], true));
    });
    return tr;
  }

  function draw(data) {
    var body = document.createElement("tbody");
    data.units.forEach(function (unit) { body.appendChild(row("td", unit.unit, unit)); });
    table.replaceChild(body, table.tBodies[0]);
    var foot = table.tFoot;
    var label = foot.rows[0].cells[0].textContent;
    foot.replaceChild(row("th", label, data.totals), foot.rows[0]);
    updated.textContent = data.updated_at;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* a missed refresh is retried on the next tick */ })
      .finally(function () { window.setTimeout(poll, 15000); });
  }
  poll();
}());
