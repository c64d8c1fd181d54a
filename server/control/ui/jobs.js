// Jobs: a scope's jobs newest first, paged like the API (MaxResults, NextToken), filtered by
// status and text, with what the scope used (GET /_mock/usage: images processed, as AWS bills
// them, and API calls); a job opens to its description as GetMediaAnalysisJob returns it, its
// usage, its results (a table of images and labels, read a page of lines at a time: a results
// file may be far larger than a page should hold) and its manifest summary.

import { forget, getChanged, getJson, getPage, getText, query } from './api.js';
import { badge, el, fill, id, pretty, s3, showListOrItem, table, when } from './dom.js';

const STATUSES = ['CREATED', 'QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED'];
// Results lines read per page (the endpoint's MaxLines).
const RESULTS_PAGE_LINES = 50;

// A results line's labels: "Name (Parent) 93.1%" each, best first.
function labelList(answer) {
  const labels = answer?.ModerationLabels ?? [];
  if (!labels.length) return el('span', { class: 'muted' }, 'no labels');
  return el('ul', { class: 'labels' }, labels.map((l) =>
    el('li', {}, el('span', {}, l.Name), l.ParentName ? el('span', { class: 'muted' }, ` (${l.ParentName})`) : '',
      ' ', el('strong', {}, `${Number(l.Confidence).toFixed(1)}%`))));
}

// A scope's usage in one line: images processed and lines refused, then calls per operation.
function usageLine(usage) {
  const calls = Object.entries(usage.ApiCalls).map(([operation, count]) =>
    `${operation} ${count.Calls}${count.Errors ? ` (${count.Errors} failed)` : ''}`);
  return el('p', { class: 'usage' }, el('strong', {}, 'Used since the start or the last reset: '),
    `${usage.ImagesProcessed} image(s) processed (what AWS bills), ${usage.LinesRefused} line(s) refused; `,
    `API calls: ${calls.length ? calls.join(', ') : 'none'}.`);
}

// The image a source-ref names, through the control plane's image endpoint.
function thumbnail(sourceRef) {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(sourceRef ?? '');
  if (!match) return el('span', { class: 'muted' }, 'no image');
  return el('img', {
    src: `/_mock/images${query({ Bucket: match[1], Key: match[2] })}`,
    alt: `image ${sourceRef}`, loading: 'lazy', class: 'thumb',
  });
}

export function jobsView(ctx) {
  const heading = el('h1', { tabindex: '-1' }, 'Jobs');
  const status = el('select', { name: 'status' },
    el('option', { value: '' }, 'any status'), STATUSES.map((s) => el('option', { value: s }, s)));
  const text = el('input', { type: 'search', name: 'contains', placeholder: 'JobId, name, s3://…' });
  const size = el('select', { name: 'size' }, [10, 20, 50, 100].map((n) =>
    el('option', { value: String(n), selected: n === 20 }, String(n))));
  const filters = el('form', { class: 'row', role: 'search', 'aria-label': 'Filter jobs' },
    el('label', {}, 'Status ', status), el('label', {}, 'Text ', text), el('label', {}, 'Per page ', size));
  const listBox = el('div', { 'aria-live': 'off' });
  const usageBox = el('div', { 'aria-live': 'off' });
  const newer = el('button', { type: 'button' }, '← Newer');
  const older = el('button', { type: 'button' }, 'Older →');
  const pageLabel = el('span', { class: 'muted' });
  const pager = el('nav', { class: 'row', 'aria-label': 'Pages of jobs' }, newer, pageLabel, older);
  const listPart = el('div', {}, filters, usageBox, listBox, pager);
  const detailPart = el('div', { hidden: true });
  const section = el('section', { 'aria-labelledby': 'jobs-h' }, heading, listPart, detailPart);
  heading.id = 'jobs-h';

  let tokens = [''];  // the NextToken of each page seen; the last is the current page's
  let next = null;
  let jobId = '';

  function listPath() {
    return `/_mock/jobs${query({
      ...ctx.scopeQuery(), MaxResults: size.value, NextToken: tokens.at(-1),
      Status: status.value, Contains: text.value.trim(),
    })}`;
  }
  function restart() {
    tokens = [''];
    forget('jobs');
    refresh();
  }

  function renderList(dump) {
    next = dump.NextToken ?? null;
    const jobs = dump.MediaAnalysisJobs;
    const rows = jobs.map((job) => [
      { class: 'when', content: when(job.CreationTimestamp) }, badge(job.Status),
      el('a', { href: `#jobs/${encodeURIComponent(job.JobId)}` }, job.JobName ?? job.JobId),
      id(job.JobId),
      s3(job.Input?.S3Object?.Bucket, job.Input?.S3Object?.Name),
      s3(job.OutputConfig?.S3Bucket, job.OutputConfig?.S3KeyPrefix),
    ]);
    fill(listBox, jobs.length
      ? table(`Jobs of ${dump.AccountId}, ${dump.Region}, newest first`,
        ['Created', 'Status', 'Name', 'JobId', 'Input', 'Output'], rows)
      : el('p', { class: 'muted' }, `No jobs in ${dump.AccountId}, ${dump.Region} match.`));
    newer.disabled = tokens.length === 1;
    older.disabled = !next;
    pageLabel.textContent = `page ${tokens.length}`;
  }

  async function renderResults(box, job) {
    if (ctx.health?.ObjectStore?.Kind === 'none') {
      fill(box, el('p', { class: 'muted' }, 'No object store is configured (--s3-dir, --s3-endpoint): the job wrote no results.'));
      return;
    }
    if (!job.Results) {
      fill(box, el('p', { class: 'muted' }, `No results while the job is ${job.Status}.`));
      return;
    }
    const id = encodeURIComponent(job.JobId);
    const resultsPath = (token) => `/_mock/jobs/${id}/results${query({
      ...ctx.scopeQuery(), MaxLines: RESULTS_PAGE_LINES, NextToken: token,
    })}`;
    // A line that is not JSON (a file written by hand, a line cut at a page's 1 MiB) is shown
    // by its start rather than hiding the lines around it.
    const resultRow = (line) => {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return [el('span', { class: 'muted' }, 'not JSON'), el('code', {}, line.slice(0, 200)), ''];
      }
      const answer = entry?.['detect-moderation-labels'];
      return [thumbnail(entry?.['source-ref']), el('code', {}, entry?.['source-ref'] ?? ''), labelList(answer)];
    };
    try {
      const first = await getPage(resultsPath(''));
      const lines = first.text.split('\n').filter(Boolean);
      const caption = (count, more) => `Results: ${count} image(s)${more ? ' so far' : ''}`;
      const results = table(caption(lines.length, first.next), ['Image', 'Source', 'Moderation labels'],
        lines.map(resultRow));
      let next = first.next;
      let shown = lines.length;
      const more = el('button', { type: 'button', hidden: !next }, 'More results');
      more.addEventListener('click', async () => {
        more.disabled = true;
        try {
          const page = await getPage(resultsPath(next));
          const added = page.text.split('\n').filter(Boolean);
          results.querySelector('tbody').append(...added.map((line) =>
            el('tr', {}, resultRow(line).map((c) => el('td', {}, c)))));
          shown += added.length;
          next = page.next;
          results.querySelector('caption').textContent = caption(shown, next);
          more.hidden = !next;
        } catch (e) {
          more.after(el('p', { class: 'muted' }, `More results are not readable: ${e.message}`));
        } finally {
          more.disabled = false;
        }
      });
      const summary = await getText(`/_mock/jobs/${id}/manifest-summary${query(ctx.scopeQuery())}`);
      fill(box, results, el('p', {}, more),
        el('h3', {}, 'Manifest summary'), el('pre', { tabindex: '0' }, pretty(summary.text)));
    } catch (e) {
      fill(box, el('p', { class: 'muted' }, `Results are not readable: ${e.message}`));
    }
  }

  // What the job's work used, from the scope's usage.
  async function jobUsage(job) {
    const usage = await getJson(`/_mock/usage${query(ctx.scopeQuery())}`);
    const used = usage.Jobs.find((entry) => entry.JobId === job.JobId);
    return el('p', { class: used ? '' : 'muted' }, used
      ? `${used.ImagesProcessed} image(s) processed (what AWS bills), ${used.LinesRefused} line(s) refused.`
      : 'No work of this job ended since the start or the last reset.');
  }

  async function renderDetail(dump) {
    const job = dump.MediaAnalysisJobs[0];
    if (!job) {
      fill(detailPart, el('p', {}, `No job ${jobId} in ${dump.AccountId}, ${dump.Region}.`),
        el('p', {}, el('a', { href: '#jobs' }, '← All jobs')));
      return;
    }
    const results = el('div', {}, el('p', { class: 'muted' }, 'Reading results…'));
    fill(detailPart,
      el('p', {}, el('a', { href: '#jobs' }, '← All jobs'), ' · ',
        el('a', { href: `#steer/${encodeURIComponent(job.JobId)}` }, 'Steer this job')),
      el('h2', {}, job.JobName ?? job.JobId, ' ', badge(job.Status)),
      el('h3', {}, 'Description (as GetMediaAnalysisJob returns it)'),
      el('pre', { tabindex: '0', class: 'json' }, JSON.stringify(job, null, 2)),
      el('h3', {}, 'Usage'), await jobUsage(job),
      el('h3', {}, 'Results'), results);
    await renderResults(results, job);
  }

  async function refresh() {
    if (jobId) {
      const dump = await getChanged('job', `/_mock/jobs${query({ ...ctx.scopeQuery(), JobId: jobId })}`);
      if (dump) await renderDetail(dump);
    } else {
      const dump = await getChanged('jobs', listPath());
      if (dump) renderList(dump);
      const usage = await getChanged('usage', `/_mock/usage${query(ctx.scopeQuery())}`);
      if (usage) fill(usageBox, usageLine(usage));
    }
  }

  status.addEventListener('change', restart);
  size.addEventListener('change', restart);
  text.addEventListener('input', restart);
  filters.addEventListener('submit', (event) => event.preventDefault());
  older.addEventListener('click', () => { if (next) { tokens.push(next); refresh(); } });
  newer.addEventListener('click', () => { if (tokens.length > 1) { tokens.pop(); refresh(); } });

  return {
    section,
    title: 'Jobs',
    open(arg) {
      jobId = arg;
      showListOrItem({ heading, listPart, detailPart }, jobId, 'Jobs', 'Job');
      forget('job');
      forget('jobs');
      forget('usage');
    },
    refresh,
    scopeChanged: () => { tokens = ['']; forget('jobs'); forget('job'); forget('usage'); },
  };
}
