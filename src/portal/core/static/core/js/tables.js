// On a phone, lists drawn as tables read as cards (portal.css); each cell then shows the name
// of its column, taken here from the table's header so that no template has to repeat it.
(function () {
  document.querySelectorAll(".table-wrap table").forEach(function (table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      // A header that is only for screen readers (an "open" or "end" column) names no card line.
      var hidden = th.querySelector(".visually-hidden");
      var text = th.textContent.trim();
      return hidden && hidden.textContent.trim() === text ? "" : text;
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var name = names[column];
        if (name && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", name);
        }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("table-labelled");
  });
})();
