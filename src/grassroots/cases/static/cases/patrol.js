// "Use my location" on the patrol form: fills the hidden lat/lon from the phone's position.
// No inline script (content security policy); messages come translated from a <template>.
(() => {
  const say = (key) => {
    const tpl = document.getElementById("locate-messages");
    const node = tpl && tpl.content.querySelector(`[data-key="${key}"]`);
    const status = document.querySelector("[data-locate-status]");
    if (status && node) status.textContent = node.textContent;
  };
  document.addEventListener("click", (e) => {
    const button = e.target.closest ? e.target.closest("[data-locate]") : null;
    if (!button) return;
    const form = button.form;
    if (!form || !navigator.geolocation) {
      say("fail");
      return;
    }
    say("busy");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.elements.lon.value = pos.coords.longitude.toFixed(6);
        say("ok");
      },
      () => say("fail"),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
})();
