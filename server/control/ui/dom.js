// Builds the page from data with DOM calls only: a string always becomes a text node, never
// markup, so a job name such as "<script>" is shown as the text it is.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// An element with properties (on*: listeners, class, dataset, attributes) and children.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name in node && typeof value !== 'string') node[name] = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  return append(node, children);
}

// An SVG element with attributes and children.
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  return append(node, children);
}

// Replaces a node's children.
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

// Epoch seconds as local date and time, to the second.
export function when(seconds) {
  if (typeof seconds !== 'number') return '';
  const d = new Date(seconds * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// JSON text pretty-printed when it parses, as sent otherwise.
export function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// A status as a badge whose colour repeats its text (never colour alone).
export function badge(status) {
  return el('span', { class: `badge s-${String(status).toLowerCase()}` }, status);
}

// "s3://bucket/key" of an S3Object-like {Bucket, Name}.
export function s3(bucket, key) {
  return bucket ? `s3://${bucket}/${key ?? ''}` : '';
}

// A table with a caption, column headers and rows of cells (strings or nodes); a cell given as
// { class, content } gets that class.
export function table(caption, headers, rows) {
  const cell = (c) => (c?.content !== undefined ? el('td', { class: c.class }, c.content) : el('td', {}, c));
  return el('div', { class: 'scroll' },
    el('table', {},
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map(cell))))));
}

// A JobId or RequestId shown short (the whole of it on hover and to screen readers' text).
export function id(text) {
  return el('code', { class: 'id', title: text }, text);
}

// A page that lists things and, given one's id, shows that one instead: the part `itemId`
// calls for, named in the heading.
export function showListOrItem({ heading, listPart, detailPart }, itemId, listTitle, itemTitle) {
  listPart.hidden = Boolean(itemId);
  detailPart.hidden = !itemId;
  heading.textContent = itemId ? itemTitle : listTitle;
}
