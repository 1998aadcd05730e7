// Progressive enhancement for the check-in timer page: fill the "where are you" box from the
// browser's location, only when the person presses the button (their consent), and only on
// this page (the only one whose Permissions-Policy allows geolocation). Without JavaScript the
// person types the place instead. The words it shows come from the page (English or Welsh).
const form = document.querySelector("[data-safety-location]");
const button = form && form.querySelector("[data-safety-locate]");
if (button && "geolocation" in navigator) {
  const status = form.querySelector("[data-safety-locate-status]");
  const place = form.querySelector("input[name=place]");
  const fromDevice = form.querySelector("input[name=from_device]");
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = form.dataset.finding;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        const within = form.dataset.within.replace("{metres}", Math.round(accuracy));
        place.value = `${latitude.toFixed(5)}, ${longitude.toFixed(5)} ${within}`;
        fromDevice.value = "True";
        status.textContent = form.dataset.found;
      },
      () => {
        status.textContent = form.dataset.notFound;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
}
