/*
 * Progress of the report jobs being built. Each pending job's live region (role=status,
 * aria-live=polite) names its JSON (the API's detail of that job, scoped like the job); it is
 * read about once a second while the job runs, every few seconds while it waits, and its
 * progress text and <progress> bar are brought up to date. When a job's status changes the
 * page is loaded again (after a moment, so the new text is heard), which brings the download
 * button or the error. Without this script the page refreshes itself (<noscript> meta).
 */
(function () {
  "use strict";

  const RUNNING_EVERY = 1000;
  const QUEUED_EVERY = 3000;
  const RELOAD_AFTER = 1500;
  const regions = document.querySelectorAll("[data-progress-url]");
  if (!regions.length) return;

  function show(region, job) {
    const text = region.querySelector("[data-progress-text]");
    const bar = region.querySelector("[data-progress-bar]");
    const progress = job.progress || {};
    if (text && progress.text && text.textContent !== progress.text) {
      text.textContent = progress.text;
    }
    if (bar) {
      const known = job.status === "running" && progress.stage === "layout" && progress.pages_total;
      if (known) {
        bar.max = progress.pages_total;
        bar.value = Math.min(progress.pages_done, progress.pages_total);
        bar.textContent = progress.text || "";
      }
      bar.hidden = !known;
    }
  }

  function poll(region) {
    const status = region.dataset.status;
    const every = status === "running" ? RUNNING_EVERY : QUEUED_EVERY;
    fetch(region.dataset.progressUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (reply) {
        if (!reply.ok) throw new Error("HTTP " + reply.status);
        return reply.json();
      })
      .then(function (job) {
        show(region, job);
        if (job.status !== status) {
          window.setTimeout(function () { window.location.reload(); }, RELOAD_AFTER);
          return;
        }
        window.setTimeout(function () { poll(region); }, every);
      })
      .catch(function () {
        // The server restarting or the network gone: try again, more slowly.
        window.setTimeout(function () { poll(region); }, QUEUED_EVERY * 2);
      });
  }

  regions.forEach(function (region) {
    window.setTimeout(function () { poll(region); }, RUNNING_EVERY);
  });
})();
