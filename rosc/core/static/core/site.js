// Small progressive enhancements; every page works without this file.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
// After a form comes back with errors, take keyboard and screen-reader users to the summary.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary instanceof HTMLElement) {
    summary.focus();
  }
});
