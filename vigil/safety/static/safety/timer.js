// The check-in timer page: a live countdown, and a call to the server every minute while the
// timer runs, which keeps this page signed in (a victim must never be signed out of a running
// timer and have to find their secret code to stop it). Works without it: the page shows the
// time left as it loaded and a link to update it.
const countdown = document.querySelector("[data-safety-countdown]");
if (countdown) {
  const endsAt = Date.now() + Number(countdown.dataset.safetyCountdown) * 1000;
  const show = () => {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    if (left === 0) {
      countdown.textContent = countdown.dataset.ended;
      return false;
    }
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    countdown.textContent = countdown.dataset.left
      .replace("{minutes}", minutes)
      .replace("{seconds}", seconds);
    return true;
  };
  show();
  const ticking = window.setInterval(() => {
    if (!show()) window.clearInterval(ticking);
  }, 1000);
  const keepAlive = window.setInterval(async () => {
    try {
      const response = await fetch(countdown.dataset.statusUrl, { credentials: "same-origin" });
      const state = response.ok ? await response.json() : null;
      if (!state || !state.running) {
        window.clearInterval(keepAlive);
        window.location.reload(); // show what happened: stopped elsewhere, or the alert
      }
    } catch (error) {
      // Offline for a moment: try again next minute.
    }
  }, 60000);
}
