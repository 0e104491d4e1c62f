/*
 * Records a module as read once its reader reaches the end. The end of the page holds the
 * "Mark as read" form (data-module-read): when it comes into view, it is posted in the
 * background (the answer is JSON), the form gives way to a short note and the status in the
 * page header says "Read". Without this script, or without IntersectionObserver, the
 * button posts the same form and the page comes back with a message.
 */
(function () {
  "use strict";

  const form = document.querySelector("form[data-module-read]");
  if (!form || !("IntersectionObserver" in window) || !window.fetch) return;
  let sent = false;

  function done(label) {
    observer.disconnect();
    const note = document.createElement("p");
    note.className = "help";
    note.setAttribute("role", "status");
    note.setAttribute("data-read-done", "");
    note.textContent = form.dataset.msgDone || "";
    form.replaceWith(note);
    const status = document.querySelector("[data-module-status][data-unread]");
    if (status && label) {
      const chip = document.createElement("span");
      chip.className = "status status-in_progress";
      chip.textContent = label;
      status.replaceChildren(chip);
      status.removeAttribute("data-unread");
    }
  }

  function send() {
    if (sent) return;
    sent = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (reply) {
        if (!reply.ok) throw new Error(String(reply.status));
        return reply.json();
      })
      .then(function (body) {
        done(body.label);
      })
      .catch(function () {
        sent = false; // the button still works, and the next time the end shows it retries
      });
  }

  const observer = new IntersectionObserver(
    function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) send();
    },
    { threshold: 0.5 }
  );
  observer.observe(form);
})();
