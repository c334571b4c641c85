// markdown.js: a small, safe Markdown renderer that builds DOM nodes directly.
// Model text never goes through innerHTML: every piece becomes a text node or one of a
// fixed set of elements. Links are kept only for http(s) and mailto URLs.

// MARK: - Blocks

/**
 * Renders Markdown text into a DocumentFragment.
 * Supports paragraphs, line breaks, # headings, - / * / 1. lists, > quotes, ``` code
 * fences, `code`, **bold**, *italic*, ~~strike~~ and [links](https://…).
 * @param {string} text
 * @returns {DocumentFragment}
 */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^\s*$/.test(line)) { i++; continue; }
    const fence = line.match(/^\s*(```|~~~)\s*([\w+-]*)\s*$/);
    if (fence) {
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++; // closing fence (or end of text while streaming)
      const code = el("code");
      code.textContent = body.join("\n");
      if (fence[2]) code.dataset.lang = fence[2];
      fragment.append(el("pre", code));
      continue;
    }
    const heading = line.match(/^\s*(#{1,6})\s+(.*)$/);
    if (heading) {
      const level = Math.min(6, heading[1].length + 2); // h3…h6: the panel's own heading is h2
      fragment.append(el(`h${Math.min(level, 6)}`, ...inline(heading[2].replace(/\s#+\s*$/, ""))));
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) body.push(lines[i++].replace(/^\s*>\s?/, ""));
      const quote = el("blockquote");
      quote.append(renderMarkdown(body.join("\n")));
      fragment.append(quote);
      continue;
    }
    const listMatch = line.match(/^(\s*)([-*+]|\d{1,9}[.)])\s+/);
    if (listMatch) {
      const ordered = /\d/.test(listMatch[2]);
      const list = el(ordered ? "ol" : "ul");
      if (ordered) {
        const start = parseInt(listMatch[2], 10);
        if (start !== 1) list.setAttribute("start", String(start));
      }
      const itemRe = ordered ? /^\s*\d{1,9}[.)]\s+(.*)$/ : /^\s*[-*+]\s+(.*)$/;
      while (i < lines.length) {
        const m = lines[i].match(itemRe);
        if (m) {
          const [body, checked] = taskMarker(m[1]);
          const li = el("li");
          if (checked !== null) {
            li.className = "md-task";
            li.append(el("span", checked ? "☑ " : "☐ "));
          }
          li.append(...inline(body));
          list.append(li);
          i++;
        } else if (/^\s{2,}\S/.test(lines[i]) && list.lastChild) {
          list.lastChild.append(el("br"), ...inline(lines[i].trim()));
          i++;
        } else {
          break;
        }
      }
      fragment.append(list);
      continue;
    }
    // Paragraph: consecutive lines that start no other block; single newlines become <br>.
    const p = el("p");
    let first = true;
    while (i < lines.length && !/^\s*$/.test(lines[i]) && !startsBlock(lines[i])) {
      if (!first) p.append(el("br"));
      p.append(...inline(lines[i].trim()));
      first = false;
      i++;
    }
    if (first) { p.append(...inline(lines[i].trim())); i++; }
    fragment.append(p);
  }
  return fragment;
}

function startsBlock(line) {
  return /^\s*(```|~~~|#{1,6}\s|>|[-*+]\s|\d{1,9}[.)]\s)/.test(line);
}

function taskMarker(text) {
  const m = text.match(/^\[([ xX])\]\s+(.*)$/);
  return m ? [m[2], m[1] !== " "] : [text, null];
}

// MARK: - Inline

const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*([^*]+?)\*\*|__([^_]+?)__|~~([^~]+?)~~|\*([^*\s][^*]*?)\*|(?<![\w])_([^_\s][^_]*?)_(?![\w])|\[([^\]]+)\]\(\s*([^)\s]+)\s*\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

/**
 * Inline Markdown to nodes.
 * @param {string} text
 * @returns {Node[]}
 */
export function inline(text) {
  const nodes = [];
  let last = 0;
  // matchAll works on a copy of the regex, so the recursive calls below cannot disturb it.
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) nodes.push(document.createTextNode(text.slice(last, m.index)));
    if (m[1]) nodes.push(el("code", m[2]));
    else if (m[3] !== undefined || m[4] !== undefined) nodes.push(el("strong", ...inline(m[3] ?? m[4])));
    else if (m[5] !== undefined) nodes.push(el("del", ...inline(m[5])));
    else if (m[6] !== undefined || m[7] !== undefined) nodes.push(el("em", ...inline(m[6] ?? m[7])));
    else if (m[8] !== undefined) nodes.push(link(m[9], inline(m[8])) ?? document.createTextNode(m[0]));
    else if (m[10] !== undefined) nodes.push(link(m[10], [document.createTextNode(m[10])]) ?? document.createTextNode(m[10]));
    last = m.index + m[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/** An <a> for a safe absolute URL, or null. */
export function safeHref(href) {
  try {
    const url = new URL(href);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function link(href, children) {
  const safe = safeHref(href);
  if (!safe) return null;
  const a = el("a", ...children);
  a.href = safe;
  a.rel = "noopener noreferrer nofollow";
  a.target = "_blank";
  return a;
}

function el(tag, ...children) {
  const node = document.createElement(tag);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}
