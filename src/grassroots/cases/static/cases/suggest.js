// The desk's suggestions (cases/suggest/views.py): one click on a suggested matter picks it,
// as if it had been found by the keyword search and its radio button clicked — the route, the
// extra questions and the knowledge base follow through the form's usual change events.
document.addEventListener("click", (e) => {
  const button = e.target.closest ? e.target.closest("[data-suggest]") : null;
  if (!button) return;
  const options = document.getElementById("matter-options");
  if (!options) return;
  const label = document.createElement("label");
  const radio = document.createElement("input");
  radio.type = "radio";
  radio.name = "matter";
  radio.value = button.dataset.suggest;
  radio.required = true;
  const text = document.createElement("span");
  text.textContent = " " + button.dataset.name + " ";
  const unit = document.createElement("small");
  unit.className = "muted";
  unit.textContent = button.dataset.unit;
  text.appendChild(unit);
  label.append(radio, text);
  options.replaceChildren(label);
  radio.checked = true;
  radio.dispatchEvent(new Event("change", { bubbles: true }));
  for (const b of document.querySelectorAll("[data-suggest]")) {
    b.setAttribute("aria-pressed", b === button ? "true" : "false");
  }
});
