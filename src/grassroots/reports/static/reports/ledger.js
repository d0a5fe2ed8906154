// The print button of a ledger page: the browser's print (save as PDF there). No inline script.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
