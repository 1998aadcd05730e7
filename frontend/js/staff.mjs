// Idle timeout for staff: warn before the server ends an idle session, and let the officer stay.
// The server enforces the timeout whatever this script does (see StaffAccessMiddleware).
const body = document.body;
const timeout = Number(body.dataset.idleTimeout || 0) * 1000;
const warning = Number(body.dataset.idleWarning || 0) * 1000;
const dialog = document.getElementById("idle-timeout-dialog");
const csrfToken = () => {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
};

if (timeout > 0 && dialog && typeof dialog.showModal === "function") {
  // Sign out for real (not just leave the page), so a screen left open shows nothing.
  const signOut = () => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = body.dataset.logoutUrl;
    for (const [name, value] of [["timeout", "1"], ["csrfmiddlewaretoken", csrfToken()]]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  };
  let warnTimer;
  let endTimer;
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), Math.max(timeout - warning, 0));
    endTimer = setTimeout(signOut, timeout);
  };
  dialog.querySelector("[data-idle-stay]").addEventListener("click", async () => {
    await fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    });
    dialog.close();
    schedule();
  });
  schedule();
}
