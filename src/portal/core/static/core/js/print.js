// A "print" button, shown only where the script runs (it is hidden without it); the print
// stylesheet in portal.css leaves only the page's content on paper.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
