// Page behaviour without inline script (Content-Security-Policy: script-src 'self').
"use strict";

// <select data-autosubmit>: choosing an option submits its form (language, site filter).
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});

// [data-error-summary]: a form came back with errors; move focus (and the screen) to the list
// of them, whose links lead to each field, so an error on a long form is never off-screen.
const errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary) {
  errorSummary.focus();
  errorSummary.querySelectorAll("a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        field.focus();
      }
    });
  });
}
