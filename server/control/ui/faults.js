// Faults: the armed fault rules, a form to add one (operation, error and/or latency, fixed or a
// profile of percentiles; a count, a probability with a seed, or the calls over a rate; a
// lifetime), and ways to clear one or all; then the throughput quotas (calls a
// second per operation, account and region), a form to set one, and ways to drop them.

import { getChanged, send } from './api.js';
import { el, fill, table, when } from './dom.js';

const OPERATIONS = ['*', 'StartMediaAnalysisJob', 'GetMediaAnalysisJob', 'ListMediaAnalysisJobs'];
const ERRORS = ['ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError', 'AccessDeniedException'];

function field(label, control) {
  return el('label', { class: 'field' }, el('span', {}, label), control);
}

export function faultsView(ctx) {
  const heading = el('h1', { tabindex: '-1', id: 'faults-h' }, 'Faults');
  const listBox = el('div');
  const operation = el('select', { name: 'Operation' }, OPERATIONS.map((o) => el('option', { value: o }, o)));
  const error = el('select', { name: 'Error' }, el('option', { value: '' }, 'none (latency only)'),
    ERRORS.map((e) => el('option', { value: e }, e)));
  const latency = el('input', { name: 'LatencyMs', type: 'number', min: '0', max: '60000', value: '0' });
  const byCount = el('input', { type: 'radio', name: 'how', value: 'count', checked: true });
  const byChance = el('input', { type: 'radio', name: 'how', value: 'probability' });
  const byRate = el('input', { type: 'radio', name: 'how', value: 'rate' });
  const ruleRate = el('input', { name: 'RatePerSecond', type: 'number', min: '0.001', step: 'any',
    value: '5', disabled: true, 'aria-label': 'Calls a second' });
  const ruleBurst = el('input', { name: 'Burst', type: 'number', min: '1', step: 'any',
    placeholder: 'the rate', disabled: true, 'aria-label': 'Burst' });
  const profile = ['P50', 'P95', 'P99', 'Max'].map((name) =>
    el('input', { name, type: 'number', min: '0', max: '60000', placeholder: name, 'aria-label': `Latency ${name} (ms)` }));
  const forSeconds = el('input', { name: 'ForSeconds', type: 'number', min: '0.001', step: 'any',
    placeholder: 'never', 'aria-label': 'Expires after (s)' });
  const count = el('input', { name: 'Count', type: 'number', min: '1', step: '1', value: '3', 'aria-label': 'Count' });
  const probability = el('input', { name: 'Probability', type: 'number', min: '0', max: '1', step: 'any',
    value: '0.3', disabled: true, 'aria-label': 'Probability' });
  const seed = el('input', { name: 'Seed', type: 'number', min: '0', step: '1', value: '0' });
  const switchHow = () => {
    count.disabled = !byCount.checked;
    probability.disabled = !byChance.checked;
    ruleRate.disabled = ruleBurst.disabled = !byRate.checked;
  };
  for (const how of [byCount, byChance, byRate]) how.addEventListener('change', switchHow);
  const form = el('form', { class: 'stack panel', 'aria-label': 'Add a fault rule' },
    el('h2', {}, 'Add a rule'),
    field('Operation', operation), field('Error', error), field('Latency (ms)', latency),
    el('fieldset', {}, el('legend', {}, 'Or a latency drawn from percentiles (ms)'), profile),
    el('fieldset', {}, el('legend', {}, 'When'),
      el('label', {}, byCount, ' the next '), count, el('span', {}, ' matching calls'),
      el('br'), el('label', {}, byChance, ' with probability '), probability,
      el('br'), el('label', {}, byRate, ' over '), ruleRate, el('span', {}, ' calls a second, burst '), ruleBurst),
    field('Seed (probability, percentiles)', seed), field('Expires after (s)', forSeconds),
    el('button', { type: 'submit' }, 'Add rule'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const rule = { Operation: operation.value, Seed: Number(seed.value) };
    if (error.value) rule.Error = error.value;
    if (profile.some((input) => input.value)) {
      rule.Latency = Object.fromEntries(profile.map((input) => [input.name, Number(input.value)]));
    } else {
      rule.LatencyMs = Number(latency.value);
    }
    if (byCount.checked) rule.Count = Number(count.value);
    else if (byChance.checked) rule.Probability = Number(probability.value);
    else {
      rule.RatePerSecond = Number(ruleRate.value);
      if (ruleBurst.value) rule.Burst = Number(ruleBurst.value);
    }
    if (forSeconds.value) rule.ForSeconds = Number(forSeconds.value);
    ctx.act('Add fault rule', () => send('POST', '/_mock/faults', rule));
  });
  const clearAll = el('button', { type: 'button', class: 'danger', onclick: () =>
    ctx.act('Clear every fault rule', () => send('DELETE', '/_mock/faults')) }, 'Clear all rules');
  const quotaBox = el('div');
  const quotaOperation = el('select', { name: 'QuotaOperation' },
    OPERATIONS.slice(1).map((o) => el('option', { value: o }, o)));
  const rate = el('input', { name: 'QuotaRate', type: 'number', min: '0.001', step: 'any', value: '5' });
  const burst = el('input', { name: 'QuotaBurst', type: 'number', min: '1', step: 'any', placeholder: 'the rate' });
  const quotaForm = el('form', { class: 'stack panel', 'aria-label': 'Set a throughput quota' },
    el('h2', {}, 'Set a quota'),
    field('Operation', quotaOperation), field('Calls a second', rate), field('Burst', burst),
    el('button', { type: 'submit' }, 'Set quota'));
  quotaForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const quota = { Operation: quotaOperation.value, RatePerSecond: Number(rate.value) };
    if (burst.value) quota.Burst = Number(burst.value);
    ctx.act('Set quota', () => send('POST', '/_mock/quotas', quota));
  });
  const clearQuotas = el('button', { type: 'button', class: 'danger', onclick: () =>
    ctx.act('Clear every quota', () => send('DELETE', '/_mock/quotas')) }, 'Clear all quotas');
  const section = el('section', { 'aria-labelledby': 'faults-h' }, heading, listBox, clearAll, form,
    el('h2', {}, 'Throughput quotas'), quotaBox, clearQuotas, quotaForm);

  async function refreshQuotas() {
    const answer = await getChanged('quotas', '/_mock/quotas');
    if (!answer) return;
    const rows = answer.Quotas.map((q) => [
      q.Operation, `${q.RatePerSecond} / s`, String(q.Burst), String(q.Throttled),
      el('button', { type: 'button', 'aria-label': `Remove the quota of ${q.Operation}`, onclick: () =>
        ctx.act(`Remove the quota of ${q.Operation}`, () => send('DELETE', `/_mock/quotas/${q.Operation}`)) }, 'Remove'),
    ]);
    fill(quotaBox, rows.length
      ? table('Throughput quotas, per account and region', ['Operation', 'Rate', 'Burst', 'Throttled', ''], rows)
      : el('p', { class: 'muted' }, 'No quotas: calls are never throttled for their rate.'));
    clearQuotas.disabled = !rows.length;
  }

  async function refresh() {
    await refreshQuotas();
    const answer = await getChanged('faults', '/_mock/faults');
    if (!answer) return;
    const fires = (f) => {
      if ('RemainingCount' in f) return `next ${f.RemainingCount}`;
      if ('RatePerSecond' in f) return `over ${f.RatePerSecond}/s, burst ${f.Burst}`;
      return `p=${f.Probability}, seed ${f.Seed}`;
    };
    const latencyOf = (f) => (f.Latency
      ? `p50 ${f.Latency.P50}, p95 ${f.Latency.P95}, p99 ${f.Latency.P99}, max ${f.Latency.Max} ms`
      : `${f.LatencyMs} ms`);
    const rows = answer.Faults.map((f) => [
      el('code', {}, f.Id), f.Operation, f.Error ?? '—', latencyOf(f),
      fires(f) + (f.ExpiresAt ? `, until ${when(f.ExpiresAt)}` : ''),
      String(f.Fired),
      el('button', { type: 'button', 'aria-label': `Remove rule ${f.Id}`, onclick: () =>
        ctx.act(`Remove rule ${f.Id}`, () => send('DELETE', `/_mock/faults/${encodeURIComponent(f.Id)}`)) }, 'Remove'),
    ]);
    fill(listBox, rows.length
      ? table('Armed fault rules, tried in this order', ['Id', 'Operation', 'Error', 'Latency', 'Fires', 'Fired', ''], rows)
      : el('p', { class: 'muted' }, 'No fault rules: every call is served as it comes.'));
    clearAll.disabled = !rows.length;
  }

  return { section, title: 'Faults', open() {}, refresh };
}
