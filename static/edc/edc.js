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

// .progress-bar[data-progress]: the bar's width (set here, the CSP forbids style attributes).
document.querySelectorAll(".progress-bar[data-progress]").forEach((bar) => {
  bar.style.width = `${bar.dataset.progress}%`;
});

// [data-refresh-seconds]: the page shows work in progress (a dataset export); reload it after
// that many seconds until the server stops asking.
const refresh = document.querySelector("[data-refresh-seconds]");
if (refresh) {
  window.setTimeout(() => window.location.reload(), 1000 * Number(refresh.dataset.refreshSeconds));
}
