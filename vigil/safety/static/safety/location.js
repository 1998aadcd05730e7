// Progressive enhancement for the check-in timer page: fill the "where are you" box from the
// browser's location, only when the person presses the button (their consent), and only on
// this page (the only one whose Permissions-Policy allows geolocation). Without JavaScript the
// person types the place instead.
const form = document.querySelector("[data-safety-location]");
const button = form && form.querySelector("[data-safety-locate]");
if (button && "geolocation" in navigator) {
  const status = form.querySelector("[data-safety-locate-status]");
  const place = form.querySelector("input[name=place]");
  const fromDevice = form.querySelector("input[name=from_device]");
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = "Finding where you are…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        place.value = `${latitude.toFixed(5)}, ${longitude.toFixed(5)} (within ${Math.round(accuracy)} m)`;
        fromDevice.value = "True";
        status.textContent = "Found. Check it, then save.";
      },
      () => {
        status.textContent = "We could not find where you are. You can type it instead.";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
}
