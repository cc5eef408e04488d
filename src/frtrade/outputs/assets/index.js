(function () {
  "use strict";
  var table = document.getElementById("fiches");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("recherche");
  var level = document.getElementById("niveau");
  var count = document.getElementById("compte");
  var none = document.getElementById("aucun");
  var total = rows.length;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[\s\-\u2010-\u2015'’]+/g, " ").trim();
  }
  rows.forEach(function (row) { row._search = fold(row.getAttribute("data-search")); });

  function plural(n, one, many) { return n + "\u00a0" + (n > 1 ? many : one); }

  function filter() {
    var words = fold(search.value).split(" ").filter(Boolean);
    var wanted = level.value;
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!wanted || row.getAttribute("data-level") === wanted) &&
        words.every(function (w) { return row._search.indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = plural(shown, "territoire affiché", "territoires affichés") +
      " sur " + total;
    none.hidden = shown !== 0;
  }

  var collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

  function sortBy(th, index) {
    var kind = th.getAttribute("data-kind");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      if (cell.hasAttribute("aria-sort")) { cell.setAttribute("aria-sort", "none"); }
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var sign = ascending ? 1 : -1;
    var keyed = rows.map(function (row, i) {
      var raw = row.cells[index].getAttribute("data-v");
      var value = raw;
      if (kind === "num") { value = raw === "" || raw === null ? null : parseFloat(raw); }
      return { row: row, value: value, i: i };
    });
    keyed.sort(function (a, b) {
      var am = a.value === null || a.value === "", bm = b.value === null || b.value === "";
      if (am || bm) { return am === bm ? a.i - b.i : (am ? 1 : -1); } // missing always last
      var c = kind === "num" ? a.value - b.value : collator.compare(a.value, b.value);
      return c === 0 ? a.i - b.i : sign * c;
    });
    rows = keyed.map(function (k) { return k.row; });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    var button = th.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(th, index); }); }
  });
  search.addEventListener("input", filter);
  level.addEventListener("change", filter);
  filter();
})();
