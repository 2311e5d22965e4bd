/* Monthly entry sheet: live "rate after this entry" and plausibility hints (display only;
   the server decides), Enter to move to the next project, Ctrl+S to save the draft. */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form || form.dataset.editable !== "1") return;

  var SPIKE_FACTOR = 3;
  // As the model stores them: at most 12 whole digits (999,999,999,999.99 万元) and two decimals.
  var AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
  // A rate above this (percent) is shown as "—", as the server shows it.
  var RATE_LIMIT = Number(form.dataset.rateLimit) || 1000;

  // Amounts as integer cents, so that sums and comparisons are exact.
  function cents(text) {
    if (text === undefined || text === null) return null;
    var s = String(text).normalize ? String(text).normalize("NFKC") : String(text);
    s = s.replace(/[,\s]/g, "");
    if (s === "") return null;
    if (!AMOUNT.test(s)) return NaN;
    var parts = s.split(".");
    var frac = (parts[1] || "").padEnd(2, "0");
    return parseInt(parts[0], 10) * 100 + parseInt(frac, 10);
  }

  // "35.6%" with thousands separators, or "—" without a plan or above RATE_LIMIT.
  function rateText(doneCents, planCents) {
    if (!(planCents > 0)) return "—";
    var rate = (doneCents * 100) / planCents;
    if (!isFinite(rate) || rate > RATE_LIMIT) return "—";
    return rate.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + "%";
  }

  function update(row) {
    var input = row.querySelector("input.amount");
    if (!input) return;
    var amount = cents(input.value);
    var plan = cents(row.dataset.plan);
    var ytd = cents(row.dataset.ytdBefore);
    var cum = cents(row.dataset.cumBefore);
    var total = cents(row.dataset.total);
    var usual = cents(row.dataset.usual);
    var bad = Number.isNaN(amount);
    input.classList.toggle("bad", bad);
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    var rateCell = row.querySelector(".rate-after");
    if (rateCell) rateCell.textContent = bad ? "—" : rateText(ytd + (amount || 0), plan);
    // Compare with the value the sheet was loaded with (kept in Django's hidden "initial-" input).
    var initial = row.querySelector('input[name^="initial-"][name$="-amount"]');
    var unchanged = cents(initial ? initial.value : input.defaultValue) === amount;
    var unusual = false;
    if (!bad && amount !== null && !unchanged) {
      if (usual && amount > usual * SPIKE_FACTOR) unusual = true;
      if (amount > 0 && ytd + amount > plan) unusual = true;
      if (amount > 0 && total > 0 && cum + amount > total) unusual = true;
    }
    var hint = row.querySelector(".js-warning");
    if (hint) hint.hidden = !unusual;
    row.classList.toggle("needs-reason", unusual || row.querySelector(".warnlist") !== null);
  }

  var rows = Array.prototype.slice.call(form.querySelectorAll(".entry-row"));
  var amounts = rows.map(function (r) { return r.querySelector("input.amount"); });
  var dirty = false;

  rows.forEach(function (row) {
    update(row);
    row.addEventListener("input", function (e) {
      dirty = true;
      if (e.target.classList.contains("amount")) update(row);
    });
  });

  amounts.forEach(function (input, i) {
    if (!input) return;
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      e.preventDefault();
      var next = amounts[e.shiftKey ? i - 1 : i + 1];
      if (next) { next.focus(); next.select(); }
    });
  });

  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
      e.preventDefault();
      var draft = form.querySelector('button[name="draft"], button[name="save"]');
      if (draft) draft.click();
    }
  });

  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });

  var firstError = form.querySelector(".has-error input.amount, .needs-reason input[name$='-reason']");
  if (firstError) firstError.focus();
})();
