// The page's frame: the scope (account and region) every page shows, the health line, routing
// by the URL's hash (#jobs, #jobs/<JobId>, #timeline, #steer, #faults, #requests/<RequestId>)
// and live refresh. Live refresh polls: job states change with time rather than with events, and
// every GET carries an ETag, so an unchanged answer is a 304 and re-renders nothing.

import { getJson } from './api.js';
import { el, fill } from './dom.js';
import { jobsView } from './jobs.js';
import { timelineView } from './timeline.js';
import { steerView } from './steer.js';
import { faultsView } from './faults.js';
import { requestsView } from './requests.js';

const POLL_MS = 2000;
const main = document.getElementById('main');
const scopeForm = document.getElementById('scope');
const healthLine = document.getElementById('health');
const toastBox = document.getElementById('toast');

// What every view reads: the scope, the last health report, and ways to talk back.
const ctx = {
  scope: { account: '', region: 'us-east-1' },
  health: null,
  // The lifecycle clock's time now, as the mock sees it (its Now plus the time since).
  now() {
    if (!this.health) return Date.now() / 1000;
    return this.health.Now + (performance.now() - this.healthAt) / 1000;
  },
  // Says how an action went, for a while (errors until the next action).
  toast(message, isError = false) {
    const note = el('p', { class: isError ? 'error' : '' }, message);
    fill(toastBox, note);
    if (!isError) setTimeout(() => note.remove(), 8000);
  },
  // Runs a state change, says how it went, and refreshes at once.
  async act(what, change) {
    try {
      const answer = await change();
      this.toast(`${what}: ${JSON.stringify(answer)}`);
      await refresh();
      return answer;
    } catch (e) {
      this.toast(`${what} failed: ${e.code ?? ''} ${e.message}`, true);
      return null;
    }
  },
  scopeQuery() {
    return { AccountId: this.scope.account, Region: this.scope.region };
  },
};

const views = {
  jobs: jobsView(ctx),
  timeline: timelineView(ctx),
  steer: steerView(ctx),
  faults: faultsView(ctx),
  requests: requestsView(ctx),
};
for (const view of Object.values(views)) main.append(view.section);

let current = null;
let loaded = false;

// The view and argument the hash names ("#jobs/abc" -> jobs, "abc").
function route() {
  const [name, ...rest] = location.hash.slice(1).split('/');
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : '';
  return { name: views[name] ? name : 'jobs', arg };
}

function show() {
  const { name, arg } = route();
  const changedView = current !== views[name];
  current = views[name];
  for (const [key, view] of Object.entries(views)) {
    view.section.hidden = view !== current;
    const link = document.querySelector(`nav a[href="#${key}"]`);
    if (view === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${current.title} · rekognition-mock`;
  current.open(arg);
  // Keyboard and screen-reader users land on the new page's heading (not on first load: the
  // page then starts at its top, skip link first).
  if (loaded && (changedView || arg)) current.section.querySelector('h1')?.focus();
  loaded = true;
  refresh();
}

function renderHealth() {
  const h = ctx.health;
  const offset = h.ClockOffsetSeconds;
  fill(healthLine,
    `${h.Status} · version ${h.Version} · store ${h.Store.Kind} · objects ${h.ObjectStore.Kind} · `,
    h.JobRetentionDays ? `jobs kept ${h.JobRetentionDays} days · ` : '',
    'lifecycle clock ', el('strong', {}, offset ? `${offset > 0 ? '+' : ''}${offset} s` : 'real time'));
  const accounts = new Set([h.DefaultAccountId, ...h.Scopes.map((s) => s.AccountId)]);
  const regions = new Set(['us-east-1', ...h.Scopes.map((s) => s.Region)]);
  fill(document.getElementById('accounts'), [...accounts].map((a) => el('option', { value: a })));
  fill(document.getElementById('regions'), [...regions].map((r) => el('option', { value: r })));
  if (!ctx.scope.account) {
    ctx.scope.account = h.DefaultAccountId;
    scopeForm.account.value = h.DefaultAccountId;
  }
}

let refreshing = null;
// Reads health, then lets the open view refresh itself; one refresh at a time.
async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      const health = await getJson('/_mock/health');
      ctx.health = health;
      ctx.healthAt = performance.now();
      renderHealth();
      await current?.refresh();
    } catch (e) {
      fill(healthLine, el('span', { class: 'error' }, `The mock does not answer: ${e.message}`));
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

scopeForm.addEventListener('submit', (event) => event.preventDefault());
scopeForm.addEventListener('change', (event) => {
  if (event.target.name === 'live') return;
  ctx.scope.account = scopeForm.account.value.trim();
  ctx.scope.region = scopeForm.region.value.trim() || 'us-east-1';
  for (const view of Object.values(views)) view.scopeChanged?.();
  refresh();
});
scopeForm.region.value = ctx.scope.region;

// Polls while the tab is visible and Live is on (a user can stop the page moving).
setInterval(() => {
  if (!document.hidden && scopeForm.live.checked) refresh();
}, POLL_MS);
window.addEventListener('hashchange', show);
show();
