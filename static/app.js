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

// Interview lists: "Add a row" adds the row in place, copied from the list's blank row (a <template>
// the server rendered with "__ROW__" for the index and "__NUMBER__" for the row's number). Without
// this script the button submits the form and the server adds the same row.
document.addEventListener("DOMContentLoaded", () => {
  const rowsOf = (list) => list.querySelectorAll(":scope > fieldset.row-entry");

  const sayUnsaved = (form) => {
    // A "saved." message from before no longer holds once the form has unsaved rows.
    document.querySelectorAll("main > .alert[role=status]").forEach((message) => message.remove());
    let notice = document.getElementById("step-notice");
    if (!notice || notice.getAttribute("role") !== "status") {
      notice?.removeAttribute("id"); // an error stays shown; this notice goes beside it
      notice = document.createElement("div");
      notice.id = "step-notice";
      notice.className = "alert alert-info";
      notice.setAttribute("role", "status");
      form.before(notice);
    }
    const text = document.createElement("p");
    text.textContent = form.dataset.unsavedNotice;
    notice.replaceChildren(text);
  };

  const fillIn = (row, index, number) => {
    for (const element of [row, ...row.querySelectorAll("*")]) {
      for (const attribute of element.attributes) {
        if (attribute.value.includes("__ROW__")) attribute.value = attribute.value.replaceAll("__ROW__", index);
      }
    }
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      walker.currentNode.nodeValue = walker.currentNode.nodeValue.replaceAll("__NUMBER__", number);
    }
  };

  document.querySelectorAll("template[data-row-template]").forEach((template) => {
    const list = template.parentElement;
    const button = template.nextElementSibling;
    const form = list.closest("form");
    if (!button || !button.value.startsWith("add:") || !form) return;
    button.addEventListener("click", (event) => {
      const rows = rowsOf(list);
      const most = Number(template.dataset.maxRows || 0);
      if (most && rows.length >= most) return; // the server answers this one
      event.preventDefault();
      const index = Math.max(-1, ...[...rows].map((row) => Number(row.dataset.index))) + 1;
      const row = template.content.firstElementChild.cloneNode(true);
      fillIn(row, index, rows.length + 1);
      list.querySelector(":scope > .no-rows")?.remove();
      list.insertBefore(row, template);
      sayUnsaved(form);
      row.querySelector("input, select, textarea")?.focus();
    });
  });
});
