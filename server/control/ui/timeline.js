// Timeline: each job of the scope as a bar from its creation through CREATED, QUEUED and
// IN_PROGRESS to SUCCEEDED or FAILED, coloured by state, drawn in SVG; "now" is the mock's
// lifecycle clock, so advancing it moves the line and the bars with it.

import { getChanged, query } from './api.js';
import { el, fill, svg, when } from './dom.js';

const WINDOWS = [['5 minutes', 300], ['1 hour', 3600], ['1 day', 86400], ['30 days', 2592000], ['all jobs', 0]];
const ROW = 26;
const LABEL = 190;
const WIDTH = 960;

// The spans a job spent (or will spend) in each state: [state, from, to].
function spans(job, lifecycle, now) {
  const created = job.CreationTimestamp;
  const end = job.CompletionTimestamp;
  const terminal = job.Status === 'SUCCEEDED' || job.Status === 'FAILED';
  if (lifecycle) {
    const done = lifecycle.CompletionTimestamp ?? Math.max(now, lifecycle.InProgressTimestamp);
    const last = terminal ? end ?? done : Math.max(done, now);
    const list = [['CREATED', created, lifecycle.QueuedTimestamp],
      ['QUEUED', lifecycle.QueuedTimestamp, lifecycle.InProgressTimestamp],
      ['IN_PROGRESS', lifecycle.InProgressTimestamp, terminal ? end ?? done : last]];
    // The outcome is known once the job shows it (a cap at its completion); until then only
    // the plan is drawn.
    if (terminal) list.push([job.Status, end ?? done, end ?? done]);
    return list.filter(([state, from, to]) => to > from || state === job.Status);
  }
  // A loaded or steered job: no schedule, only what it shows.
  if (terminal) return [['IN_PROGRESS', created, end ?? created], [job.Status, end ?? created, end ?? created]];
  return [[job.Status, created, Math.max(created, now)]];
}

const CAP = 8;  // px: the width of a finished job's outcome

export function timelineView(ctx) {
  const heading = el('h1', { tabindex: '-1' }, 'Timeline');
  const range = el('select', {}, WINDOWS.map(([label, seconds], i) =>
    el('option', { value: String(seconds), selected: i === 1 }, label)));
  const count = el('select', {}, [20, 50, 100].map((n) => el('option', { value: String(n) }, String(n))));
  const clock = el('p', { class: 'muted' });
  const legend = el('ul', { class: 'legend', 'aria-label': 'Colours' },
    ['CREATED', 'QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED'].map((s) =>
      el('li', {}, el('span', { class: `swatch s-${s.toLowerCase()}` }), s)));
  const chart = el('div', { class: 'chart' });
  const section = el('section', { 'aria-labelledby': 'timeline-h' }, heading,
    el('form', { class: 'row', 'aria-label': 'Timeline settings' },
      el('label', {}, 'Window ', range), el('label', {}, 'Newest jobs ', count)),
    clock, legend, chart);
  heading.id = 'timeline-h';
  let data = null;

  function draw() {
    const now = ctx.now();
    const jobs = data.MediaAnalysisJobs;
    const windowSeconds = Number(range.value);
    let start = now - windowSeconds;
    let stop = now + windowSeconds / 6;
    if (!windowSeconds) {
      start = Math.min(now, ...jobs.map((j) => j.CreationTimestamp));
      stop = Math.max(now, ...jobs.map((j) => data.Lifecycles?.[j.JobId]?.CompletionTimestamp ?? now)) + 1;
      stop += (stop - start) * 0.05;
    }
    const x = (t) => LABEL + ((Math.min(Math.max(t, start), stop) - start) / (stop - start)) * (WIDTH - LABEL - 10);
    // A job that ended before the window opened has nothing to draw in it.
    const shown = jobs.filter((job) => spans(job, data.Lifecycles?.[job.JobId], now).some(([, , to]) => to >= start));
    const height = 34 + shown.length * ROW;
    const offset = ctx.health?.ClockOffsetSeconds ?? 0;
    fill(clock, `Now (lifecycle clock): ${when(now)}, `,
      el('strong', {}, offset ? `${offset > 0 ? '+' : ''}${offset} s from real time` : 'real time'),
      `. ${shown.length} of ${jobs.length} newest jobs in the window.`);
    const rows = shown.map((job, i) => {
      const y = 24 + i * ROW;
      const name = job.JobName ?? job.JobId;
      const title = `${name} (${job.JobId}): ${job.Status}, created ${when(job.CreationTimestamp)}`;
      const segments = spans(job, data.Lifecycles?.[job.JobId], now).map(([state, from, to]) => {
        const cap = from === to && (state === 'SUCCEEDED' || state === 'FAILED');
        return svg('rect', {
          x: x(from), y: y + 4, width: cap ? CAP : Math.max(x(to) - x(from), 2), height: ROW - 10,
          class: `s-${state.toLowerCase()}${from >= now ? ' planned' : ''}`,
        });
      });
      const link = svg('a', { href: `#jobs/${encodeURIComponent(job.JobId)}`, 'aria-label': title, class: 'bar', 'data-job-id': job.JobId },
        svg('title', {}, title),
        // The whole row answers the pointer, not only the thin bars.
        svg('rect', { x: 0, y, width: WIDTH, height: ROW, class: 'hit' }),
        // HTML in its column, so CSS ends a long name with an ellipsis while the text stays
        // whole: a link whose visible words were cut short would not match its accessible
        // name (WCAG 2.5.3), and SVG text clipped by hand would run under the bars.
        svg('foreignObject', { x: 4, y, width: LABEL - 12, height: ROW }, el('div', { class: 'name' }, name)),
        segments);
      return link;
    });
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
      const t = start + f * (stop - start);
      return svg('g', {}, svg('line', { x1: x(t), x2: x(t), y1: 16, y2: height, class: 'tick' }),
        svg('text', { x: x(t), y: 12, class: 'axis', 'text-anchor': f === 0 ? 'start' : f === 1 ? 'end' : 'middle' }, when(t).slice(5)));
    });
    const focused = document.activeElement?.closest?.('.bar')?.dataset.jobId;
    fill(chart, svg('svg', {
      viewBox: `0 0 ${WIDTH} ${height}`, role: 'group', 'aria-label': `Lifecycles of ${shown.length} jobs`,
      width: '100%', preserveAspectRatio: 'xMinYMin meet',
    }, ticks, rows,
    svg('line', { x1: x(now), x2: x(now), y1: 14, y2: height, class: 'now' }),
    svg('text', { x: x(now) - 4, y: height - 4, class: 'now-label', 'text-anchor': 'end' }, 'now')));
    if (focused) chart.querySelector(`.bar[data-job-id="${CSS.escape(focused)}"]`)?.focus();
  }

  async function refresh() {
    const path = `/_mock/jobs${query({ ...ctx.scopeQuery(), MaxResults: count.value, Include: 'Lifecycle' })}`;
    data = (await getChanged('timeline', path)) ?? data;
    // Redrawn on every poll even when the jobs are the same: "now" has moved.
    if (data) draw();
  }

  range.addEventListener('change', () => data && draw());
  count.addEventListener('change', refresh);

  return { section, title: 'Timeline', open() {}, refresh, scopeChanged: () => { data = null; } };
}
