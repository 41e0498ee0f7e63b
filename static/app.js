// Progressive enhancement only: every flow works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Copy buttons (hidden until JavaScript can make them work).
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const target = document.querySelector(button.dataset.copy);
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(target.value);
      button.textContent = "Copied";
    });
  });
  // Ask before destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Select the invitation link on focus, for a quick copy by keyboard.
  document.querySelectorAll("input[readonly]").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
});
