// Vigil's own behaviour on every page. Progressive enhancement only: every page works without it.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// GOV.UK's enhanced file upload names its button "label, button text" with a hidden comma
// inside the button, so the name no longer contains the visible words as they read (WCAG
// 2.5.3 Label in Name; axe's label-content-name-mismatch). The same comma just outside the
// button keeps the pause and leaves the button's own words intact.
for (const comma of document.querySelectorAll(".govuk-file-upload-button > [id$='-comma']")) {
  comma.closest(".govuk-file-upload-button").insertAdjacentElement("beforebegin", comma);
}

// Quick exit. Someone may walk in on a victim reading this site: three presses of Shift within
// five seconds, the button, or Escape hides the page at once and leaves through the server's
// /exit route (which ends the session). location.replace() means Back does not return here.
//
// Escape is what victims expect (the force's own site uses it), but it is also the key people
// press by accident while typing, to close a browser suggestion. So one Escape leaves only where
// nothing would be lost: on a page that keeps the victim's work (a report, the diary, a timer:
// <body data-vigil-keeps-work>) or while the focus is in a field, the first press says "press
// Escape again" and only a second press within three seconds leaves (docs/decisions.md).
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

  const escapeHint = document.createElement("p");
  escapeHint.className = "vigil-exit-hint";
  escapeHint.hidden = true;
  // Screen readers hear it once, from the status region below; this copy is for the eyes.
  escapeHint.setAttribute("aria-hidden", "true");
  escapeHint.textContent = exitButton.dataset.vigilExitEscapeAgain || "";
  exitButton.parentElement.appendChild(escapeHint);

  const typingIn = (element) =>
    element instanceof HTMLElement &&
    (element.isContentEditable || element.matches("input, textarea, select"));
  const keepsWork = () =>
    document.body.hasAttribute("data-vigil-keeps-work") || typingIn(document.activeElement);

  let escapePressedAt = 0;
  let hintTimer = 0;
  let shiftPresses = [];
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      const now = Date.now();
      if (!keepsWork() || now - escapePressedAt < 3000) {
        leave(event);
        return;
      }
      // The first press does what it would do anyway (close a suggestion list) and warns.
      escapePressedAt = now;
      escapeHint.hidden = false;
      status.textContent = escapeHint.textContent;
      window.clearTimeout(hintTimer);
      hintTimer = window.setTimeout(() => {
        escapeHint.hidden = true;
  // Screen readers hear it once, from the status region below; this copy is for the eyes.
  escapeHint.setAttribute("aria-hidden", "true");
        status.textContent = "";
      }, 3000);
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

// Radios that reveal more questions under them (vigil.common.forms.RevealingRadioSelect), as
// GOV.UK's conditional reveal: without JavaScript every question is shown. GOV.UK Frontend's own
// reveal marks each radio with aria-controls it then gives aria-expanded, which ARIA does not
// allow on a radio (axe: aria-allowed-attr), so it is done here without either: the questions
// come straight after their radio, where a screen reader meets them next.
const revealing = document.querySelectorAll("input[type=radio][data-vigil-reveals]");
const syncReveals = () => {
  for (const radio of revealing) {
    const revealed = document.getElementById(radio.dataset.vigilReveals);
    if (revealed) revealed.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
  }
};
for (const radio of revealing) {
  radio.addEventListener("change", syncReveals);
  // Choosing another radio of the group fires no change on this one.
  for (const other of document.getElementsByName(radio.name)) {
    other.addEventListener("change", syncReveals);
  }
}
window.addEventListener("pageshow", syncReveals);
syncReveals();
