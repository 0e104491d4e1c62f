// Asks before a step with consequences (closing a campaign, reopening a response, removing a
// respondent): a link
// carrying data-confirm-action opens the page's <dialog id="confirm-dialog"> with the link's
// title, consequence and button text, and the dialog's form posts to data-confirm-action.
// Without JavaScript (or <dialog>) the link leads to a confirmation page that does the same.
(function () {
  "use strict";
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const form = dialog.querySelector("form");
  const title = dialog.querySelector("[data-confirm-title]");
  const message = dialog.querySelector("[data-confirm-message]");
  const submit = dialog.querySelector("[data-confirm-submit]");
  const cancel = dialog.querySelector("[data-confirm-cancel]");
  let opener = null;

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-confirm-action]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    opener = link;
    form.action = link.dataset.confirmAction;
    title.textContent = link.dataset.confirmTitle;
    message.textContent = link.dataset.confirmMessage;
    submit.textContent = link.dataset.confirmButton;
    dialog.showModal();
    // The least destructive choice has the focus: Enter or a stray key press cancels.
    cancel.focus();
  });

  cancel.addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("close", function () {
    if (opener) opener.focus();
  });
})();
