// Vigil's own behaviour on every page. Progressive enhancement only: every page works without it.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// Quick exit. Someone may walk in on a victim reading this site: one press of Escape, three
// presses of Shift within five seconds, or the button, hides the page at once and leaves through
// the server's /exit route (which ends the session). location.replace() means Back does not
// return here.
const exitButton = document.querySelector("[data-vigil-exit-button]");
if (exitButton) {
  const exitUrl = exitButton.getAttribute("href");
  let leaving = false;
  const leave = (event) => {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    const overlay = document.createElement("div");
    overlay.className = "vigil-exit-overlay";
    document.body.appendChild(overlay);
    document.title = exitButton.dataset.vigilExitTitle || "Loading";
    try {
      window.sessionStorage.clear();
      window.localStorage.clear();
    } catch (error) {
      // Storage may be switched off; nothing to clear then.
    }
    window.location.replace(exitUrl);
  };
  exitButton.addEventListener("click", leave);
  for (const link of document.querySelectorAll("[data-vigil-exit-link]")) {
    link.addEventListener("click", leave);
  }

  // Tell screen reader users how many more Shift presses will leave, as GOV.UK Frontend does.
  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  exitButton.parentElement.appendChild(status);

  let shiftPresses = [];
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      leave(event);
      return;
    }
    if (event.key === "Shift" && !event.repeat) {
      const now = Date.now();
      shiftPresses = shiftPresses.filter((time) => now - time < 5000);
      shiftPresses.push(now);
      if (shiftPresses.length >= 3) {
        leave(event);
      } else {
        // The page gives the words in its own language (English or Welsh).
        const left = 3 - shiftPresses.length;
        status.textContent =
          left === 1 ? exitButton.dataset.vigilExitPressOnce : exitButton.dataset.vigilExitPressTwice;
      }
    } else {
      shiftPresses = [];
      status.textContent = "";
    }
  });
}
