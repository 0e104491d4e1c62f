/*
 * Asks once more before a form does something that cannot be undone (submitting answers
 * locks them). A form with data-confirm-dialog="<id of a <dialog>>" opens that dialog instead
 * of posting; its [data-confirm] button posts the form, its [data-cancel] button (or Escape)
 * closes it and leaves everything as it was. Without this script, or in a browser without
 * <dialog>, the form posts directly: the page around it already states the consequence.
 */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm-dialog]").forEach(function (form) {
    const dialog = document.getElementById(form.dataset.confirmDialog);
    if (!dialog || typeof dialog.showModal !== "function") return;
    let confirmed = false;
    let opener = null;

    form.addEventListener("submit", function (event) {
      if (confirmed) return;
      event.preventDefault();
      opener = event.submitter || document.activeElement;
      dialog.showModal();
      const cancel = dialog.querySelector("[data-cancel]");
      if (cancel) cancel.focus();
    });

    const confirm = dialog.querySelector("[data-confirm]");
    if (confirm) {
      confirm.addEventListener("click", function () {
        confirmed = true;
        confirm.disabled = true;
        dialog.close();
        form.submit();
      });
    }
    const cancel = dialog.querySelector("[data-cancel]");
    if (cancel) {
      cancel.addEventListener("click", function () {
        dialog.close();
      });
    }
    dialog.addEventListener("close", function () {
      if (!confirmed && opener && typeof opener.focus === "function") opener.focus();
    });
  });
})();
