/* Count active reading time: a beat every 15 s says whether the reader is active (the tab is
   visible and there was input in the last minute). The server credits time only between
   recent active beats, with its own clock (content/reading.py). */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script.dataset.beatUrl;
  var lesson = script.dataset.lesson || "";
  var lastInput = Date.now();
  var csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  ["scroll", "keydown", "mousemove", "mousedown", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, function () { lastInput = Date.now(); }, { passive: true });
  });
  function beat() {
    var active = document.visibilityState === "visible" && Date.now() - lastInput < 60000;
    var body = new URLSearchParams({ active: active ? "1" : "0", lesson: lesson });
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-CSRFToken": csrf } }).catch(function () {});
  }
  beat();
  setInterval(beat, 15000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { lastInput = Date.now(); beat(); }
  });
})();
