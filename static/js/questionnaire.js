/*
 * Autosave for the questionnaire. Each question's whole answer (choice or N/A, reason,
 * comment) is PUT to /api/v1/responses/<id>/answers/<question>/ as it changes; a comment
 * emptied before any choice is made leaves nothing to save, so the saved note is DELETEd
 * from the same address (the API refuses a PUT that carries nothing). One request
 * per question is in flight at a time; a newer state waits and goes next, so the last state
 * the respondent set is the one saved. Network failures retry with backoff and when the
 * browser comes back online. Without this script the page is a plain form that posts.
 */
(function () {
  "use strict";

  const form = document.getElementById("questionnaire");
  if (!form || form.hasAttribute("data-locked")) return;
  document.documentElement.classList.add("js");

  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const urlTemplate = form.dataset.answerUrl; // ends in /answers/0/
  const msg = (key) => form.dataset["msg" + key] || "";
  const states = new Map(); // question id -> {inFlight, pending, retryTimer, delay}

  function answerUrl(questionId) {
    return urlTemplate.replace(/\/0\/$/, "/" + questionId + "/");
  }

  function readAnswer(card) {
    const checked = card.querySelector("input[type=radio]:checked");
    const reason = card.querySelector("input[name$='-na_reason']");
    const comment = card.querySelector("textarea[name$='-comment']");
    const isNa = !!checked && checked.value === "na";
    return {
      choice: checked && !isNa ? Number(checked.value) : null,
      na: isNa,
      na_reason: isNa && reason ? reason.value : "",
      comment: comment ? comment.value : "",
    };
  }

  function show(card, text, kind) {
    const line = card.querySelector("[data-save-state]");
    line.textContent = text;
    line.dataset.kind = kind || "";
    card.classList.toggle("has-error", kind === "error");
  }

  function timeNow() {
    return new Date().toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function updateProgress(progress) {
    document.querySelectorAll("[data-progress-answered]").forEach((el) => (el.textContent = progress.answered));
    const bar = document.querySelector("[data-progress-bar]");
    if (bar) {
      bar.setAttribute("aria-valuenow", progress.answered);
      const fill = bar.querySelector("span");
      if (fill) fill.style.width = (progress.total ? (100 * progress.answered) / progress.total : 0) + "%";
    }
    // The current page's own count: questions whose answer the server has acknowledged.
    const current = document.querySelector(".q-dimensions li.is-current");
    if (current) {
      const cards = form.querySelectorAll("[data-question]");
      let answered = 0;
      cards.forEach((card) => {
        if (card.dataset.saved === "1") answered += 1;
      });
      const complete = answered === cards.length;
      const count = current.querySelector("[data-dimension-answered]");
      if (count) count.textContent = answered;
      current.classList.toggle("is-complete", complete);
      const mark = current.querySelector(".q-dim-mark");
      if (mark) mark.textContent = complete ? "✓" : mark.dataset.step;
    }
  }

  function stateOf(questionId) {
    if (!states.has(questionId)) states.set(questionId, { inFlight: false, pending: null, retryTimer: null, delay: 1000 });
    return states.get(questionId);
  }

  function isEmpty(answer) {
    return answer.choice === null && !answer.na && !answer.comment.trim();
  }

  function queueSave(card) {
    const questionId = card.dataset.question;
    const answer = readAnswer(card);
    if (answer.na && !answer.na_reason.trim()) {
      show(card, msg("NeedReason"), "hint");
      return;
    }
    const state = stateOf(questionId);
    state.pending = answer;
    if (!state.inFlight) send(card, questionId, state);
  }

  async function send(card, questionId, state) {
    if (state.retryTimer) {
      clearTimeout(state.retryTimer);
      state.retryTimer = null;
    }
    const answer = state.pending;
    if (!answer) return;
    state.pending = null;
    state.inFlight = true;
    show(card, msg("Saving"), "saving");
    let retry = false;
    try {
      const clear = isEmpty(answer);
      const response = await fetch(answerUrl(questionId), {
        method: clear ? "DELETE" : "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken, Accept: "application/json" },
        body: clear ? undefined : JSON.stringify(answer),
      });
      if (response.ok) {
        const body = await response.json();
        state.delay = 1000;
        card.dataset.saved = body.answer && (body.answer.choice !== null || body.answer.na) ? "1" : "0";
        if (!state.pending) show(card, msg("Saved") + " " + timeNow(), "saved");
        updateProgress(body.progress);
      } else if (response.status >= 500 || response.status === 429) {
        retry = true;
      } else {
        let text = response.statusText;
        try {
          text = (await response.json()).error.message;
        } catch (e) {
          /* keep the status text */
        }
        show(card, msg("Failed") + " " + text, "error");
      }
    } catch (e) {
      retry = true; // network down: keep the answer and try again
    }
    state.inFlight = false;
    if (retry) {
      if (!state.pending) state.pending = answer;
      show(card, msg("Offline"), "offline");
      state.retryTimer = setTimeout(() => send(card, questionId, state), state.delay);
      state.delay = Math.min(state.delay * 2, 30000);
    } else if (state.pending) {
      send(card, questionId, state);
    }
  }

  function toggleReason(card) {
    const box = card.querySelector("[data-na-reason]");
    if (!box) return;
    const checked = card.querySelector("input[type=radio]:checked");
    box.hidden = !(checked && checked.value === "na");
  }

  const typingTimers = new Map();
  form.querySelectorAll("[data-question]").forEach((card) => {
    // What the page was rendered with is what the server holds.
    card.dataset.saved = card.querySelector("input[type=radio]:checked") ? "1" : "0";
    toggleReason(card);
    card.addEventListener("change", (event) => {
      if (event.target.type === "radio") toggleReason(card);
      queueSave(card);
    });
    card.addEventListener("input", (event) => {
      if (event.target.type === "radio") return;
      clearTimeout(typingTimers.get(card));
      typingTimers.set(card, setTimeout(() => queueSave(card), 700));
    });
  });

  window.addEventListener("online", () => {
    form.querySelectorAll("[data-question]").forEach((card) => {
      const state = states.get(card.dataset.question);
      if (state && state.pending && !state.inFlight) {
        state.delay = 1000;
        send(card, card.dataset.question, state);
      }
    });
  });

  function unsaved() {
    for (const state of states.values()) if (state.pending || state.inFlight) return true;
    return false;
  }

  window.addEventListener("beforeunload", (event) => {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = msg("Leave");
    }
  });

  // Navigation buttons still post the form, which saves everything once more.
  form.addEventListener("submit", () => states.clear());
})();
