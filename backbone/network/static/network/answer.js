/* The answer form: with a level of none the six scores do not apply, so they are cleared
   and disabled (a disabled field is not sent); a button sets every partner not yet rated
   to none. Without this script the server says the same when the answer is saved. */
(function () {
  "use strict";

  function sync(row) {
    var level = row.querySelector("select[name$='__level']");
    var none = level.value === "0";
    row.querySelectorAll("td.score select").forEach(function (score) {
      if (none) { score.value = ""; }
      score.disabled = none;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.querySelectorAll("tr[data-row]");
    rows.forEach(function (row) {
      sync(row);
      row.querySelector("select[name$='__level']").addEventListener("change", function () { sync(row); });
    });
    var rest = document.getElementById("rest-none");
    if (!rest) { return; }
    rest.hidden = false;
    rest.addEventListener("click", function () {
      rows.forEach(function (row) {
        var level = row.querySelector("select[name$='__level']");
        if (level.value === "") { level.value = "0"; sync(row); }
      });
    });
  });
})();
