// Parallax behaviour without inline script (the CSP forbids it): copy-link buttons,
// arrow-key navigation through the claims grid, and focus/selection after the panel loads.
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
    if (panel.getBoundingClientRect().top > window.innerHeight) {
      panel.scrollIntoView({ block: "start" });
    }
  });
})();
