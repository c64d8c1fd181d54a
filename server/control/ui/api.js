// The control plane's public endpoints, the only thing this page talks to: whatever it shows or
// does, a test can do with curl.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.Message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.Error ?? String(status);
  }
}

async function failure(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not the control plane's JSON error (a proxy's page, say): the status says enough.
  }
  return new ApiError(response.status, body);
}

// GETs a path, revalidated with the browser's cached ETag; { etag, text }.
export async function getText(path) {
  const response = await fetch(path, { cache: 'no-cache' });
  if (!response.ok) throw await failure(response);
  return { etag: response.headers.get('ETag'), text: await response.text() };
}

// GETs a page of a paged text answer; { text, next }, next being the NextToken of the page after
// it (the X-Mock-Next-Token header), or null on the last page.
export async function getPage(path) {
  const response = await fetch(path, { cache: 'no-cache' });
  if (!response.ok) throw await failure(response);
  return { text: await response.text(), next: response.headers.get('X-Mock-Next-Token') };
}

export async function getJson(path) {
  return JSON.parse((await getText(path)).text);
}

// The answer to a GET when it differs from the last one seen under `key` (by ETag), else null:
// a poll that finds nothing new re-renders nothing, so focus and scroll stay where they were.
const seen = new Map();
export async function getChanged(key, path) {
  const { etag, text } = await getText(path);
  if (etag && seen.get(key) === etag) return null;
  seen.set(key, etag);
  return JSON.parse(text);
}
export function forget(key) {
  seen.delete(key);
}

// A state change: POST or DELETE with a JSON body (the control plane refuses anything else
// from a browser page); the parsed answer.
export async function send(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw await failure(response);
  return response.json();
}

// "?AccountId=..&Region=..&..." from an object, leaving out empty values.
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
