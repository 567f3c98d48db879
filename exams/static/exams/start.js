// The exam's start page before the opening: count down to it and show the start button
// when it comes. The server says how many seconds are left (rounded up) and the wait is
// measured with the browser's monotonic clock (performance.now), so a wrong or corrected
// computer clock does not matter and the button never appears before the server would
// accept the start. A page brought back from the browser's history is reloaded: its
// count would be stale.
(function () {
  "use strict";
  var box = document.getElementById("waiting");
  var form = document.getElementById("start-form");
  if (!box || !form) return;
  var shown = box.querySelector("[data-countdown]");
  var end = performance.now() + Number(box.getAttribute("data-opens-in")) * 1000;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var left = Math.max(0, Math.ceil((end - performance.now()) / 1000));
    var hours = Math.floor(left / 3600), minutes = Math.floor((left % 3600) / 60);
    if (shown) {  // more than a day ahead the page gives the date, not a count
      shown.textContent = (hours ? hours + ":" + pad(minutes) : pad(minutes)) + ":" +
        pad(left % 60);
    }
    if (left <= 0) {
      box.hidden = true;
      form.hidden = false;
      form.querySelector("button").focus();
      return;
    }
    setTimeout(tick, Math.min(1000, Math.max(50, end - performance.now() - (left - 1) * 1000)));
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });
  tick();
})();
