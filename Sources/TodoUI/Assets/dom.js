// dom.js: a tiny element builder. Text is always set as text, never parsed as HTML.

/**
 * Creates an element.
 * @param {string} tag - the tag name, optionally with classes: "button.primary.small"
 * @param {object} [attrs] - attributes; `on*` functions become listeners, `dataset` an object,
 *   booleans toggle the attribute, `text` sets textContent.
 * @param {...(Node|string|null|undefined|false)} children - nodes or strings (as text)
 */
export function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "text") {
      el.textContent = String(value);
    } else if (key === "class") {
      el.className = [el.className, value].filter(Boolean).join(" ");
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends nodes or strings (as text nodes), skipping empty values. */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child of an element. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/**
 * Fills a filter <select> with "any" plus the distinct values (sorted, shown with `prefix`), keeping
 * the current choice even when no value has it any more. Untouched when the values did not change.
 */
export function fillOptions(select, anyText, values, current, prefix = "") {
  const options = [...new Set([...values, current].filter(Boolean))].sort();
  const key = options.join("\n");
  if (select.dataset.options === key) return;
  select.dataset.options = key;
  clear(select).append(h("option", { value: "", text: anyText }), ...options.map((v) => h("option", { value: v, text: `${prefix}${v}` })));
  select.value = current;
}

/** A short toast at the bottom of the page, with an optional action button. */
export function toast(message, { action, onAction, timeout = 6000 } = {}) {
  let region = document.getElementById("toasts");
  if (!region) {
    region = h("div.toasts", { id: "toasts", role: "status", "aria-live": "polite" });
    document.body.append(region);
  }
  const item = h("div.toast", {}, h("span", { text: message }));
  let done = false;
  const close = () => {
    if (done) return;
    done = true;
    item.remove();
  };
  if (action) {
    item.append(h("button.link-button", { type: "button", onclick: () => { close(); onAction?.(); } }, action));
  }
  region.append(item);
  const timer = setTimeout(close, timeout);
  return { close: () => { clearTimeout(timer); close(); }, element: item, get closed() { return done; } };
}
