// The exam page: every answer is saved to the server as it is given.
//  - Unacknowledged answers live in localStorage (keyed by attempt) and are re-sent after a
//    reload or crash; an answer is removed from there only when the server acknowledged it.
//  - Failed saves are retried with exponential back-off and random jitter, so a thousand
//    browsers that lost the network together do not come back in lockstep.
//  - The countdown follows the server: every save response carries the seconds left.
//  - Submitting (by the button or at time-up) sends every answer not yet acknowledged with
//    the submission, typing still waiting to be saved included: nothing given is lost
//    because a save was slow, retrying or not yet due. The result page forgets them.
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) return;
  var attemptId = root.dataset.attempt;
  var saveUrl = root.dataset.saveUrl;
  var eventUrl = root.dataset.eventUrl;
  var resultUrl = root.dataset.resultUrl;
  var onePerPage = root.dataset.onePerPage === "1";
  var initial = JSON.parse(root.dataset.initial);
  var texts = document.getElementById("exam-messages").dataset;
  var storeKey = "lianbing-attempt-" + attemptId;
  var csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] ||
    (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value;
  var questions = Array.prototype.slice.call(root.querySelectorAll(".question[data-position]"));
  var answerable = questions.filter(function (q) { return q.dataset.qtype !== "case_analysis"; });
  var pending = load();
  var inFlight = false, failures = 0, stopped = false, retryTimer = null;
  var typing = {};  // position -> timer of typing not yet queued
  var lastChange = 0;
  var deadline = Date.now() + initial.remaining * 1000;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function store() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full */ }
  }
  function byPosition(position) {
    return root.querySelector('.question[data-position="' + position + '"]');
  }

  // --- reading and showing answers ---------------------------------------------------
  function readAnswer(q) {
    var type = q.dataset.qtype;
    var inputs = Array.prototype.slice.call(q.querySelectorAll("[data-answer]"));
    if (type === "multiple") {
      return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    if (type === "single") {
      var picked = inputs.filter(function (i) { return i.checked; })[0];
      return picked ? picked.value : null;
    }
    if (type === "true_false") {
      var tf = inputs.filter(function (i) { return i.checked; })[0];
      return tf ? tf.value === "true" : null;
    }
    if (type === "fill_blank") return inputs.map(function (i) { return i.value; });
    return inputs.length ? inputs[0].value : null;
  }
  function showAnswer(q, answer) {
    var inputs = Array.prototype.slice.call(q.querySelectorAll("[data-answer]"));
    var type = q.dataset.qtype;
    inputs.forEach(function (input, index) {
      if (type === "multiple") input.checked = (answer || []).indexOf(input.value) >= 0;
      else if (type === "single") input.checked = input.value === answer;
      else if (type === "true_false") input.checked = (input.value === "true") === answer && answer !== null;
      else if (type === "fill_blank") input.value = (answer || [])[index] || "";
      else input.value = answer || "";
    });
  }
  function isAnswered(q) {
    var a = readAnswer(q);
    if (a === null || a === "") return false;
    if (Array.isArray(a)) return a.some(function (v) { return v !== ""; });
    return true;
  }
  function refreshNav() {
    var count = 0;
    answerable.forEach(function (q) {
      var button = root.querySelector('[data-goto="' + q.dataset.position + '"]');
      var answered = isAnswered(q);
      var flag = q.querySelector("[data-flag]");
      if (answered) count++;
      if (button) {
        button.classList.toggle("answered", answered);
        button.classList.toggle("flagged", !!(flag && flag.checked));
      }
    });
    document.getElementById("answered").textContent = count;
  }

  // --- saving ------------------------------------------------------------------------
  function setState(text, kind) {
    var el = document.getElementById("save-state");
    el.textContent = text;
    el.className = "save-state " + (kind || "");
  }
  function record(q) {
    var flag = q.querySelector("[data-flag]");
    // `at` tells a change from the next one: strictly increasing, even within a millisecond.
    lastChange = Math.max(Date.now(), lastChange + 1);
    pending[q.dataset.position] = {
      answer: readAnswer(q), flagged: flag ? flag.checked : null, at: lastChange
    };
    store();
  }
  function queue(q) {
    record(q);
    refreshNav();
    flush();
  }
  function settleTyping() {
    Object.keys(typing).forEach(function (position) {
      clearTimeout(typing[position]);
      delete typing[position];
      record(byPosition(position));
    });
  }
  function prepareSubmit() {
    settleTyping();
    var answers = {};
    Object.keys(pending).forEach(function (position) {
      answers[position] = { answer: pending[position].answer, flagged: pending[position].flagged };
    });
    document.getElementById("pending-answers").value = JSON.stringify(answers);
  }
  function flush() {
    if (inFlight || stopped) return;
    var positions = Object.keys(pending);
    if (!positions.length) { setState(texts.saved, "ok"); return; }
    var position = positions[0];
    var entry = pending[position];
    inFlight = true;
    setState(texts.saving, "busy");
    fetch(saveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ position: Number(position), answer: entry.answer, flagged: entry.flagged })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      inFlight = false;
      if (result.status === 200 && result.data.ok) {
        failures = 0;
        // Only forget the entry if it was not changed again while the request was out.
        if (pending[position] && pending[position].at === entry.at) delete pending[position];
        store();
        syncClock(result.data.remaining);
        flush();
      } else if (result.status === 409 || result.status === 404 || result.status === 401) {
        stop(result.data.error || texts.stopped, result.data.code);
      } else if (result.status === 400) {
        delete pending[position]; store(); flush();
      } else {
        retry();
      }
    }).catch(function () { inFlight = false; retry(); });
  }
  function retry() {
    failures++;
    setState(texts.retrying, "bad");
    var base = Math.min(30000, 1000 * Math.pow(2, Math.min(failures, 5)));
    var wait = base * (0.5 + Math.random());  // jitter: between half and one and a half times
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, wait);
  }
  function stop(message, code) {
    stopped = true;
    setState(message, "bad");
    if (code === "finished" || code === "too_late") {
      try { localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
      setTimeout(function () { window.location.href = resultUrl; }, 1500);
    }
  }

  // --- the clock -----------------------------------------------------------------------
  function syncClock(remaining) {
    if (typeof remaining === "number") deadline = Date.now() + remaining * 1000;
  }
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    document.getElementById("clock").textContent =
      (minutes < 10 ? "0" : "") + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    root.classList.toggle("hurry", left <= 300);
    if (left === 0 && !stopped) {
      // Time is up: no more changes. Give in-flight saves a moment, then submit with every
      // answer still unacknowledged; the server grades and shows the result.
      settleTyping();
      root.querySelectorAll("[data-answer], [data-flag]").forEach(function (input) {
        input.disabled = true;
      });
      setTimeout(function () {
        prepareSubmit();
        document.getElementById("submit-form").submit();
      }, 2000);
      stopped = true;
      return;
    }
    setTimeout(tick, 1000);
  }

  // --- navigation --------------------------------------------------------------------
  var current = 0;
  function show(index) {
    if (!onePerPage) {
      if (answerable[index]) answerable[index].scrollIntoView({ behavior: "smooth" });
      return;
    }
    current = Math.max(0, Math.min(answerable.length - 1, index));
    var target = answerable[current];
    questions.forEach(function (q) {
      var visible = q === target ||
        (q.dataset.qtype === "case_analysis" && target.classList.contains("in-case") &&
         q.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING &&
         nearestCase(target) === q);
      q.hidden = !visible;
    });
    root.querySelectorAll(".nav-q").forEach(function (b) {
      b.classList.toggle("current", b.dataset.goto === target.dataset.position);
    });
  }
  function nearestCase(q) {
    var node = q.previousElementSibling;
    while (node && node.dataset.qtype !== "case_analysis") node = node.previousElementSibling;
    return node;
  }

  // --- wiring --------------------------------------------------------------------------
  questions.forEach(function (q) {
    var position = q.dataset.position;
    q.addEventListener("change", function () {
      clearTimeout(typing[position]);
      delete typing[position];
      queue(q);
    });
    q.addEventListener("input", function (event) {
      if (event.target.type === "text" || event.target.tagName === "TEXTAREA") {
        clearTimeout(typing[position]);
        typing[position] = setTimeout(function () { delete typing[position]; queue(q); }, 800);
      }
    });
  });
  root.querySelectorAll("[data-goto]").forEach(function (button) {
    button.addEventListener("click", function () {
      var index = answerable.indexOf(byPosition(button.dataset.goto));
      show(index);
    });
  });
  document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  if (!onePerPage) {
    document.getElementById("prev").hidden = true;
    document.getElementById("next").hidden = true;
  }
  document.getElementById("submit-form").addEventListener("submit", function (event) {
    var unanswered = answerable.some(function (q) { return !isAnswered(q); });
    var ask = (unanswered ? texts.unanswered + " " : "") + texts.confirm;
    if (!stopped && !window.confirm(ask)) { event.preventDefault(); return; }
    // The unacknowledged answers stay in this browser until the result page: a submission
    // lost on the way leaves them to be sent again.
    prepareSubmit();
  });
  var lastFocusReport = 0;
  function focusLost() {
    if (stopped || Date.now() - lastFocusReport < 2000) return;
    lastFocusReport = Date.now();
    fetch(eventUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (data.submitted) window.location.href = resultUrl; })
      .catch(function () { /* recorded next time */ });
  }
  document.addEventListener("visibilitychange", function () { if (document.hidden) focusLost(); });
  window.addEventListener("blur", focusLost);
  window.addEventListener("online", function () { failures = 0; flush(); });

  // Answers not yet acknowledged before a reload or crash win over the server's copy.
  Object.keys(pending).forEach(function (position) {
    var q = byPosition(position);
    if (q) showAnswer(q, pending[position].answer);
  });
  refreshNav();
  var start = answerable.indexOf(byPosition(initial.position));
  show(start >= 0 ? start : 0);
  tick();
  flush();
})();
