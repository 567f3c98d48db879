// The result page of a submitted attempt: the exam page's unacknowledged answers went with
// the submission (exam.js), so this browser's copy of them can go.
(function () {
  "use strict";
  var script = document.currentScript;
  try { localStorage.removeItem("lianbing-attempt-" + script.getAttribute("data-attempt")); } catch (e) { /* ignore */ }
})();
