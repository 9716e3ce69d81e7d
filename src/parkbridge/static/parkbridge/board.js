// Drag a pipeline card onto another column to move the cooperation there. The server answers
// with the whole board (or, for stages that need a reason, with a redirect to a short form).
(function () {
  "use strict";

  function boardElement() {
    return document.getElementById("board");
  }

  function filterValues() {
    const filters = document.getElementById("pipeline-filters");
    return filters ? Object.fromEntries(new FormData(filters)) : {};
  }

  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".pipeline-card");
    if (!card) return;
    event.dataTransfer.setData("text/plain", card.dataset.moveUrl);
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("opacity-50");
  });

  document.addEventListener("dragend", function (event) {
    const card = event.target.closest && event.target.closest(".pipeline-card");
    if (card) card.classList.remove("opacity-50");
  });

  document.addEventListener("dragover", function (event) {
    const column = event.target.closest && event.target.closest(".pipeline-column");
    if (!column) return;
    event.preventDefault();
    column.classList.add("pipeline-drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    const column = event.target.closest && event.target.closest(".pipeline-column");
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("pipeline-drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    const column = event.target.closest && event.target.closest(".pipeline-column");
    if (!column) return;
    event.preventDefault();
    column.classList.remove("pipeline-drop-target");
    const moveUrl = event.dataTransfer.getData("text/plain");
    if (!moveUrl || !window.htmx) return;
    const values = Object.assign(filterValues(), { stage: column.dataset.stage, from: "board" });
    window.htmx.ajax("POST", moveUrl, { target: boardElement(), values: values });
  });
})();
