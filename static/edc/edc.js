// Page behaviour without inline script (Content-Security-Policy: script-src 'self').
"use strict";

// <select data-autosubmit>: choosing an option submits its form (language, site filter).
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
