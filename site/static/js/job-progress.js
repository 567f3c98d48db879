// Poll a job's status and update its progress bar in place; reload when it finishes
// so the page shows the result. Back off gently so many open pages don't hammer the server.
(function () {
  var box = document.querySelector("[data-job-status-url]");
  if (!box) return;
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector(".progress > div");
  var text = box.querySelector("[data-job-message]");
  var pct = box.querySelector("[data-job-percent]");
  var delay = 700;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        bar.style.width = data.progress + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", data.progress);
        if (pct) pct.textContent = data.progress + "%";
        if (text) text.textContent = data.message || data.status_label;
        if (data.finished) { window.location.reload(); return; }
        delay = Math.min(delay * 1.2, 3000);
        setTimeout(poll, delay);
      })
      .catch(function () { delay = Math.min(delay * 2, 10000); setTimeout(poll, delay); });
  }
  setTimeout(poll, delay);
})();
