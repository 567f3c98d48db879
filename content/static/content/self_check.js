/* Self-check questions on a lesson or case page: send one answer, show the verdict, the key
   and the explanation the server returns (the page itself never carries the key). Without
   JavaScript the form posts normally and the server answers with a feedback page. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-self-check]").forEach(function (form) {
    var box = form.querySelector("[data-feedback]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                           headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.html) {
            box.innerHTML = data.html;
          } else {
            box.innerHTML = "";
            var note = document.createElement("p");
            note.className = "alert error";
            note.textContent = data.error || "";
            box.appendChild(note);
          }
        })
        .catch(function () { form.submit(); })
        .finally(function () { button.disabled = false; });
    });
  });
})();
