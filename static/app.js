// Parallax behaviour without inline script (the CSP forbids it): copy-link buttons,
// arrow-key navigation through the claims grid, whole rows that open the comparison, focus and
// scrolling after the panel loads, and the way back to the grid row the reader came from.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy-link]");
    if (!button) return;
    const link = button.getAttribute("data-copy-link");
    const status = button.parentElement.querySelector(".copy-status");
    const done = function (message) { if (status) status.textContent = message; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(
        function () { done("Link copied"); },
        function () { done(link); }
      );
    } else {
      done(link);
    }
  });

  const ROW_KEY = "parallax:last-row";

  // A click anywhere on a grid row opens its comparison, as its claim link does.
  document.addEventListener("click", function (event) {
    const row = event.target.closest(".claim-grid tbody tr[data-claim]");
    if (!row || event.target.closest("a, button")) return;
    const link = row.querySelector("a.claim-link");
    if (link) link.click();
  });

  // Remember the row a comparison was opened from, so coming back lands on it.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-claim-link]");
    if (!link) return;
    sessionStorage.setItem(ROW_KEY, JSON.stringify({ page: location.pathname + location.search, claim: link.getAttribute("data-claim-link") }));
  });

  function showRow(claimId) {
    const row = document.getElementById("claim-" + claimId);
    if (!row) return false;
    const details = row.closest("details");
    if (details) details.open = true;
    row.scrollIntoView({ block: "center" });
    const link = row.querySelector("a.claim-link");
    if (link) link.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (event) {
    const back = event.target.closest("[data-back-to-row]");
    if (!back || !showRow(back.getAttribute("data-back-to-row"))) return;
    event.preventDefault();
  });

  function returnToRow() {
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(ROW_KEY) || "null"); } catch (error) { saved = null; }
    if (!saved || saved.page !== location.pathname + location.search) return;
    if (document.querySelector("#claim-panel .comparison")) return;
    sessionStorage.removeItem(ROW_KEY);
    // The row, not the browser's remembered scroll position, is where the reader left off.
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    showRow(saved.claim);
  }
  document.addEventListener("DOMContentLoaded", returnToRow);
  window.addEventListener("pageshow", returnToRow);

  function cellsOf(row) {
    return Array.from(row.querySelectorAll("[data-grid-cell]"));
  }

  document.addEventListener("keydown", function (event) {
    const cell = event.target.closest("[data-grid-cell]");
    if (!cell) return;
    const grid = cell.closest("[data-grid]");
    if (!grid) return;
    const rows = Array.from(grid.querySelectorAll("tbody tr")).filter(function (row) {
      return cellsOf(row).length > 0;
    });
    const row = cell.closest("tr");
    const rowIndex = rows.indexOf(row);
    const colIndex = cellsOf(row).indexOf(cell);
    let target = null;
    switch (event.key) {
      case "ArrowRight": target = cellsOf(row)[colIndex + 1]; break;
      case "ArrowLeft": target = cellsOf(row)[colIndex - 1]; break;
      case "ArrowDown": if (rows[rowIndex + 1]) target = cellsOf(rows[rowIndex + 1])[colIndex]; break;
      case "ArrowUp": if (rows[rowIndex - 1]) target = cellsOf(rows[rowIndex - 1])[colIndex]; break;
      case "Home": target = cellsOf(row)[0]; break;
      case "End": target = cellsOf(row)[cellsOf(row).length - 1]; break;
      case "Enter":
        if (cell.tagName !== "A") { const link = row.querySelector("a.claim-link"); if (link) link.click(); }
        return;
      default: return;
    }
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const panel = event.detail.target;
    if (!panel || panel.id !== "claim-panel") return;
    const article = panel.querySelector("[data-claim]");
    const claimId = article ? article.getAttribute("data-claim") : null;
    document.querySelectorAll(".claim-grid tbody tr").forEach(function (row) {
      if (row.getAttribute("data-claim") === claimId) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    const heading = panel.querySelector("h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
    // Narrow screens put the panel above the grid: bring it into view.
    if (window.matchMedia("(max-width: 63.99rem)").matches) panel.scrollIntoView({ block: "start" });
  });
})();
