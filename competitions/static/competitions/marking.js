// Live total of a rubric marking form: the same rules as competitions/rubrics.py
// (deductions stop at zero within a criterion; any veto makes the total zero).
(function () {
  var form = document.getElementById("mark-form");
  var out = document.getElementById("live-total");
  if (!form || !out) return;
  function num(value) { var n = parseFloat(value); return isNaN(n) ? 0 : n; }
  function total() {
    var sum = 0, vetoed = false, complete = true;
    form.querySelectorAll("fieldset.contest-criterion[data-code]").forEach(function (box) {
      var max = num(box.dataset.max), base = max, deducted = 0;
      var level = box.querySelector("[data-kind=level]");
      var measures = box.querySelectorAll("[data-kind=measure]");
      if (level) { if (level.value === "") complete = false; base = num(level.value); }
      else if (measures.length) {
        base = 0;
        measures.forEach(function (m) { if (m.checked) base += num(m.dataset.points); });
      }
      box.querySelectorAll("[data-kind=once]").forEach(function (d) { if (d.checked) deducted += num(d.dataset.low); });
      box.querySelectorAll("[data-kind=count]").forEach(function (d) { deducted += num(d.value) * num(d.dataset.low); });
      box.querySelectorAll("[data-kind=amount]").forEach(function (d) { deducted += num(d.value); });
      sum += Math.max(0, base - deducted);
    });
    form.querySelectorAll("[data-kind=veto]").forEach(function (v) { if (v.checked) vetoed = true; });
    if (vetoed) sum = 0;
    out.textContent = (complete || vetoed) ? (Math.round(sum * 100) / 100).toString() : "—";
  }
  form.addEventListener("input", total);
  form.addEventListener("change", total);
  total();
})();
