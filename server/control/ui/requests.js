// Requests: the AWS requests the mock answered, newest first, with operation, scope, status,
// error type, latency and request id; a request opens to its body and response as the log keeps
// them (the first 4 KiB of each).

import { forget, getChanged, query, send } from './api.js';
import { el, fill, pretty, showListOrItem, table, when } from './dom.js';

const LIMIT = 200;

function what(r) {
  return r.Unroutable ? `${r.Method ?? '?'} ${r.Path ?? ''} ${r.Target ?? ''} (unroutable)` : r.Operation;
}

function body(title, text, bytes) {
  const cut = bytes > text.length ? ` (the first ${text.length} of ${bytes} bytes)` : ` (${bytes} bytes)`;
  return [el('h2', {}, title, el('small', { class: 'muted' }, cut)),
    el('pre', { tabindex: '0', class: 'json' }, text ? pretty(text) : '(empty)')];
}

export function requestsView(ctx) {
  const heading = el('h1', { tabindex: '-1', id: 'requests-h' }, 'Requests');
  const listBox = el('div');
  const clear = el('button', { type: 'button', class: 'danger', onclick: () =>
    ctx.act('Clear the request log', () => send('DELETE', '/_mock/requests')) }, 'Clear the log');
  const listPart = el('div', {}, el('p', { class: 'muted' },
    `The last ${LIMIT} AWS requests, newest first (control-plane calls are not logged).`), clear, listBox);
  const detailPart = el('div', { hidden: true });
  const section = el('section', { 'aria-labelledby': 'requests-h' }, heading, listPart, detailPart);
  let requestId = '';

  function renderList(answer) {
    const rows = answer.Requests.slice().reverse().map((r) => [
      { class: 'when', content: when(r.Time) }, what(r), `${r.AccountId} ${r.Region}`, String(r.Status), r.ErrorType ?? '',
      `${r.LatencyMs} ms`,
      el('a', { href: `#requests/${encodeURIComponent(r.RequestId)}` }, el('code', {}, r.RequestId)),
    ]);
    fill(listBox, rows.length
      ? table('AWS requests, newest first', ['Time', 'Operation', 'Scope', 'Status', 'Error', 'Latency', 'Request id'], rows)
      : el('p', { class: 'muted' }, 'No requests yet.'));
  }

  function renderDetail(answer) {
    const r = answer.Requests[0];
    if (!r) {
      fill(detailPart, el('p', {}, `Request ${requestId} is no longer in the log.`),
        el('p', {}, el('a', { href: '#requests' }, '← All requests')));
      return;
    }
    const facts = [['Time', when(r.Time)], ['Operation', what(r)], ['Scope', `${r.AccountId} ${r.Region}`],
      ['Status', String(r.Status)], ['Error', r.ErrorType ?? '—'], ['Latency', `${r.LatencyMs} ms`],
      ['Request id', r.RequestId], ['ClientRequestToken', r.ClientRequestToken], ['JobName', r.JobName]]
      .filter(([, v]) => v !== undefined);
    fill(detailPart, el('p', {}, el('a', { href: '#requests' }, '← All requests')),
      el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      body('Request body', r.RequestBody, r.RequestBodyBytes),
      body('Response body', r.ResponseBody, r.ResponseBodyBytes));
  }

  async function refresh() {
    if (requestId) {
      const answer = await getChanged('request',
        `/_mock/requests${query({ RequestId: requestId, Include: 'Latency,Bodies' })}`);
      if (answer) renderDetail(answer);
    } else {
      const answer = await getChanged('requests', `/_mock/requests${query({ Limit: LIMIT, Include: 'Latency' })}`);
      if (answer) renderList(answer);
    }
  }

  return {
    section,
    title: 'Requests',
    open(arg) {
      requestId = arg;
      showListOrItem({ heading, listPart, detailPart }, requestId, 'Requests', 'Request');
      forget('request');
      forget('requests');
    },
    refresh,
  };
}
