// Small form behaviours for contest pages, kept out of the templates for the CSP:
// buttons with data-confirm ask first; forms with data-go open the URL chosen in their select.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-go")) return;
  var select = form.querySelector("select");
  if (select && select.value) {
    event.preventDefault();
    window.location.href = select.value;
  }
});
