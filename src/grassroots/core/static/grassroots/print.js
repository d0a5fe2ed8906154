// Print buttons without inline script (the content security policy forbids inline handlers).
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
