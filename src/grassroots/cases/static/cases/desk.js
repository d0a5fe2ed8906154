// The hotline desk, without inline script (the content security policy forbids it).
// Enter in a box marked data-enter="<button id>" presses that button ("none": nothing), so a
// half-typed call is never submitted by Enter; a swapped list of matters, places or caller
// households counts as a change of the form, so "where it will go" and the articles follow.
// Picking a found caller fills the reporter's name (unless the operator typed another one).
document.addEventListener("keydown", (e) => {
  if (e.key !== "Enter") return;
  const box = e.target.closest ? e.target.closest("[data-enter]") : null;
  if (!box) return;
  e.preventDefault();
  const button = document.getElementById(box.dataset.enter);
  if (button) button.click();
});
const fillName = (radio) => {
  const form = document.getElementById("entry");
  const box = form && form.elements.reporter_name;
  if (!box || !radio || radio.dataset.name === undefined) return;
  // only a name the desk filled itself is replaced; a typed one stays
  if (box.value === "" || box.dataset.filled === box.value) {
    box.value = radio.dataset.name;
    box.dataset.filled = radio.dataset.name;
  }
};
document.addEventListener("change", (e) => {
  const t = e.target;
  if (t && t.name === "household" && t.checked) fillName(t);
});
document.addEventListener("htmx:afterSettle", (e) => {
  const id = e.target && e.target.id;
  if (id === "caller") fillName(e.target.querySelector("input[name='household']:checked"));
  if (id === "matter-options" || id === "caller" || id === "place-options") {
    const form = document.getElementById("entry");
    if (form) form.dispatchEvent(new Event("change"));
  }
});
