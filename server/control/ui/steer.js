// Steer: force a job's status (FAILED with a failure code and message), pace a job by polls,
// advance the lifecycle clock, reset a scope or everything, seed jobs from a pasted or uploaded fixture, and set the
// scope's moderation rules: each a POST or DELETE of the control plane.

import { getChanged, query, send } from './api.js';
import { el, fill, pretty } from './dom.js';

const STATUSES = ['CREATED', 'QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED'];
const FAILURE_CODES = ['INTERNAL_ERROR', 'INVALID_S3_OBJECT', 'INVALID_MANIFEST', 'INVALID_OUTPUT_CONFIG',
  'INVALID_KMS_KEY', 'ACCESS_DENIED', 'RESOURCE_NOT_FOUND', 'RESOURCE_NOT_READY', 'THROTTLED'];

function field(label, control, hint) {
  return el('label', { class: 'field' }, el('span', {}, label), control, hint ? el('small', {}, hint) : '');
}

function panel(title, ...children) {
  return el('section', { class: 'panel', 'aria-label': title }, el('h2', {}, title), ...children);
}

export function steerView(ctx) {
  const heading = el('h1', { tabindex: '-1', id: 'steer-h' }, 'Steer');
  const jobIds = el('datalist', { id: 'steer-job-ids' });

  // Force a status.
  const jobId = el('input', { name: 'JobId', required: true, list: 'steer-job-ids', autocomplete: 'off' });
  const status = el('select', { name: 'Status' }, STATUSES.map((s) => el('option', { value: s }, s)));
  const code = el('select', { name: 'Code' }, FAILURE_CODES.map((c) => el('option', { value: c }, c)));
  const message = el('input', { name: 'Message', value: 'Failed from the browser view' });
  const failure = el('fieldset', { hidden: true }, el('legend', {}, 'Failure details'),
    field('Code', code), field('Message', message));
  const forceForm = el('form', { class: 'stack', 'aria-label': 'Force a status' },
    field('JobId', jobId), field('Status', status), failure,
    el('button', { type: 'submit' }, 'Force status'));
  status.addEventListener('change', () => { failure.hidden = status.value !== 'FAILED'; });
  forceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { ...ctx.scopeQuery(), Status: status.value };
    if (status.value === 'FAILED') body.FailureDetails = { Code: code.value, Message: message.value };
    ctx.act(`Force ${jobId.value} to ${status.value}`,
      () => send('POST', `/_mock/jobs/${encodeURIComponent(jobId.value.trim())}/status`, body));
  });

  // Pace a started job by polls: one state per N GetMediaAnalysisJob calls from now on.
  const pacedId = el('input', { name: 'PacedJobId', required: true, list: 'steer-job-ids', autocomplete: 'off' });
  const polls = el('input', { name: 'PollsPerState', type: 'number', min: '1', max: '1000000', step: '1', value: '1', required: true });
  const paceForm = el('form', { class: 'stack', 'aria-label': 'Pace a job by polls' },
    field('JobId', pacedId), field('Gets per state', polls,
      'The job moves one state per this many GetMediaAnalysisJob calls, from the state it shows now.'),
    el('button', { type: 'submit' }, 'Pace by polls'));
  paceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.act(`Pace ${pacedId.value} by ${polls.value} Gets per state`,
      () => send('POST', `/_mock/jobs/${encodeURIComponent(pacedId.value.trim())}/progress`,
        { ...ctx.scopeQuery(), PollsPerState: Number(polls.value) }));
  });

  // Advance the clock.
  const seconds = el('input', { name: 'Seconds', type: 'number', min: '0', step: 'any', value: '60', required: true });
  const advance = (by) => ctx.act(`Advance the clock ${by} s`, () => send('POST', '/_mock/clock/advance', { Seconds: by }));
  const clockForm = el('form', { class: 'stack', 'aria-label': 'Advance the clock' },
    field('Seconds', seconds, 'The lifecycle clock only moves forward; a full reset puts it back on real time.'),
    el('div', { class: 'row' }, el('button', { type: 'submit' }, 'Advance'),
      [60, 3600, 86400].map((s) => el('button', { type: 'button', onclick: () => advance(s) }, `+${s} s`))));
  clockForm.addEventListener('submit', (event) => { event.preventDefault(); advance(Number(seconds.value)); });

  // Reset.
  const reload = el('input', { type: 'checkbox', name: 'ReloadFixtures', checked: true });
  const resetForm = el('form', { class: 'stack', 'aria-label': 'Reset' },
    el('label', {}, reload, ' Reload the start-up fixtures'),
    el('div', { class: 'row' },
      el('button', { type: 'button', onclick: () => ctx.act('Reset this scope',
        () => send('POST', '/_mock/reset', { ...ctx.scopeQuery(), ReloadFixtures: reload.checked })) }, 'Reset this scope'),
      el('button', { type: 'button', class: 'danger', onclick: () => ctx.act('Reset everything',
        () => send('POST', '/_mock/reset', { ReloadFixtures: reload.checked })) }, 'Reset everything')),
    el('small', {}, 'Everything: every scope, fault rules, the request log and the clock.'));

  // Seed.
  const fixture = el('textarea', { name: 'fixture', rows: 8, spellcheck: 'false',
    placeholder: '{"AccountId": "…", "Region": "…", "MediaAnalysisJobs": [ … ]}' });
  const file = el('input', { type: 'file', accept: '.json,application/json' });
  file.addEventListener('change', async () => {
    if (file.files[0]) fixture.value = await file.files[0].text();
  });
  const seedForm = el('form', { class: 'stack', 'aria-label': 'Seed jobs' },
    field('Fixture document (as a fixture file or a dump)', fixture), field('or upload a file', file),
    el('button', { type: 'submit' }, 'Seed jobs'));
  seedForm.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.act('Seed', () => send('POST', '/_mock/jobs', fixture.value));
  });

  // Moderation rules.
  const rules = el('textarea', { name: 'rules', rows: 6, spellcheck: 'false' });
  const rulesForm = el('form', { class: 'stack', 'aria-label': 'Moderation rules' },
    field('This scope\'s rules ({"ModerationRules": [...]})', rules),
    el('div', { class: 'row' }, el('button', { type: 'submit' }, 'Set rules'),
      el('button', { type: 'button', onclick: () => ctx.act('Clear rules',
        () => send('DELETE', `/_mock/moderation-rules${query(ctx.scopeQuery())}`)) }, 'Clear rules')));
  rulesForm.addEventListener('submit', (event) => {
    event.preventDefault();
    let document;
    try {
      document = JSON.parse(rules.value || '{}');
    } catch (e) {
      ctx.toast(`The rules are not JSON: ${e.message}`, true);
      return;
    }
    ctx.act('Set rules', () => send('POST', '/_mock/moderation-rules', { ...document, ...ctx.scopeQuery() }));
  });

  const section = el('section', { 'aria-labelledby': 'steer-h' }, heading, jobIds,
    el('div', { class: 'panels' },
      panel('Force a job\'s status', forceForm), panel('Pace a job by polls', paceForm),
      panel('Advance the clock', clockForm),
      panel('Reset', resetForm), panel('Seed jobs', seedForm), panel('Moderation rules', rulesForm)));

  let rulesShown = false;
  async function refresh() {
    const dump = await getChanged('steer-ids', `/_mock/jobs${query({ ...ctx.scopeQuery(), MaxResults: 100 })}`);
    if (dump) {
      fill(jobIds, dump.MediaAnalysisJobs.map((j) => el('option', { value: j.JobId }, `${j.JobName ?? ''} ${j.Status}`)));
    }
    // The rules are shown once per scope, not overwritten while someone edits them.
    if (!rulesShown) {
      rulesShown = true;
      try {
        const listed = await getChanged('steer-rules', `/_mock/moderation-rules${query(ctx.scopeQuery())}`);
        if (listed) rules.value = pretty(JSON.stringify({ ModerationRules: listed.ModerationRules }));
      } catch (e) {
        rules.value = '';
        rules.placeholder = e.message;
      }
    }
  }

  return {
    section,
    title: 'Steer',
    open(arg) {
      if (arg) {
        jobId.value = arg;
        pacedId.value = arg;
      }
    },
    refresh,
    scopeChanged: () => { rulesShown = false; },
  };
}
