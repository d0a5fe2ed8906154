// The hotline desk, without inline script (the content security policy forbids it).
// Enter in a box marked data-enter="<button id>" presses that button ("none": nothing), so a
// half-typed call is never submitted by Enter; a swapped list of matters or caller households
// counts as a change of the form, so "where it will go" and the articles follow.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Enter") return;
  const box = e.target.closest ? e.target.closest("[data-enter]") : null;
  if (!box) return;
  e.preventDefault();
  const button = document.getElementById(box.dataset.enter);
  if (button) button.click();
});
document.addEventListener("htmx:afterSettle", (e) => {
  const id = e.target && e.target.id;
  if (id === "matter-options" || id === "caller") {
    const form = document.getElementById("entry");
    if (form) form.dispatchEvent(new Event("change"));
  }
});
