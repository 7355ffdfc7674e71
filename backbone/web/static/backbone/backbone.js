/* Every page: the menu button on phones, and a cue on tables wider than their box. */
document.documentElement.classList.add("js");

function menuButtonOf(element) {
  const menu = element.closest(".initiative-menu");
  if (menu) return document.querySelector(`.menu-button[aria-controls="${menu.id}"]`);
  return element.closest(".menu-button");
}

document.addEventListener("click", (event) => {
  const button = event.target.closest(".menu-button");
  if (button) {
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) return;
  const button = menuButtonOf(event.target);
  if (button && button.getAttribute("aria-expanded") === "true") {
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
});

const wideTables = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    target.toggleAttribute("data-overflows", target.scrollWidth > target.clientWidth + 1);
  }
});

function watchTables(root) {
  const inside = root.closest?.(".table-wrap");
  const wraps = [...root.querySelectorAll(".table-wrap"), ...(inside ? [inside] : [])];
  for (const wrap of wraps) {
    wideTables.unobserve(wrap);
    wideTables.observe(wrap);
  }
}

document.addEventListener("DOMContentLoaded", () => watchTables(document));
document.addEventListener("htmx:load", (event) => watchTables(event.detail.elt));
