/* Small page behaviour: switch the month on change, print button. No inline scripts needed. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll("select[name=year], select[name=month]").forEach(function (select) {
      select.addEventListener("change", function () { form.submit(); });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
