// Idle timeout for staff: warn before the server ends an idle session, and let the officer stay.
// The server enforces the timeout whatever this script does (see StaffAccessMiddleware).
const body = document.body;
const timeout = Number(body.dataset.idleTimeout || 0) * 1000;
const warning = Number(body.dataset.idleWarning || 0) * 1000;
const dialog = document.getElementById("idle-timeout-dialog");

if (timeout > 0 && dialog && typeof dialog.showModal === "function") {
  let warnTimer;
  let endTimer;
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), Math.max(timeout - warning, 0));
    endTimer = setTimeout(() => window.location.assign(body.dataset.timeoutUrl), timeout);
  };
  dialog.querySelector("[data-idle-stay]").addEventListener("click", async () => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    await fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    });
    dialog.close();
    schedule();
  });
  schedule();
}
