// The exam's start page before the opening: count down to it and show the start button
// when it comes. The server says how many seconds are left (rounded up); this browser's
// clock only measures the wait, so a wrong clock on the officer's computer does not
// matter, and the button never appears before the server would accept the start.
(function () {
  "use strict";
  var box = document.getElementById("waiting");
  var form = document.getElementById("start-form");
  if (!box || !form) return;
  var shown = box.querySelector("[data-countdown]");
  var end = Date.now() + Number(box.getAttribute("data-opens-in")) * 1000;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    var hours = Math.floor(left / 3600), minutes = Math.floor((left % 3600) / 60);
    shown.textContent = (hours ? hours + ":" + pad(minutes) : pad(minutes)) + ":" + pad(left % 60);
    if (left <= 0) {
      box.hidden = true;
      form.hidden = false;
      form.querySelector("button").focus();
      return;
    }
    setTimeout(tick, Math.min(1000, Math.max(50, end - Date.now() - (left - 1) * 1000)));
  }
  tick();
})();
