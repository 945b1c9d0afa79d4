'use strict';
// The authstream dashboard: reads the Streams app's documented HTTP API (docs/dashboard.md) on the
// server that served this page, and nothing else.

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const REFRESH_MS = 5000;

function chosenDay() {
  const asked = new URLSearchParams(location.search).get('day');
  if (asked && /^\d{4}-\d{2}-\d{2}$/.test(asked)) {
    return new Date(asked + 'T00:00:00Z');
  }
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function iso(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

async function getJson(path) {
  for (let attempt = 0; ; attempt++) {
    const answer = await fetch(path, { headers: { Accept: 'application/json' } });
    if (answer.status === 503 && attempt < 30) {
      // Rebalancing or restoring: the API says when to ask again.
      await new Promise(resolve => setTimeout(resolve, 1000 * Number(answer.headers.get('Retry-After') || 1)));
      continue;
    }
    if (!answer.ok) {
      throw new Error(path + ' answered ' + answer.status);
    }
    return answer.json();
  }
}

function el(tag, attributes, text) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function count(n) {
  return String(Math.round(n));
}

function percent(rate) {
  return (rate * 100).toFixed(1) + '%';
}

function bar(fraction) {
  const cell = el('td', { class: 'bar' });
  const inner = el('div');
  inner.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1) + '%';
  cell.appendChild(inner);
  return cell;
}

function setKey(key, text) {
  document.querySelectorAll('[data-key="' + key + '"]').forEach(node => { node.textContent = text; });
}

async function activeUsers(day) {
  const at = iso(day.getTime());
  for (const span of ['day', '7d', '30d']) {
    const answer = await getJson('/analytics/active_users?granularity=' + span + '&from=' + at + '&to=' + at);
    const last = answer.rollups[answer.rollups.length - 1];
    setKey('active_users.' + span, last ? count(last.value) : '0');
  }
}

async function series(granularity, from, to, body, label) {
  const range = '?granularity=' + granularity + '&from=' + iso(from) + '&to=' + iso(to);
  const [signIns, rates] = await Promise.all([
    getJson('/analytics/sign_ins' + range),
    getJson('/analytics/failed_login_rate' + range),
  ]);
  const windows = new Map();
  signIns.rollups.forEach(r => windows.set(r.windowStart, { signIns: r }));
  rates.rollups.forEach(r => windows.set(r.windowStart, Object.assign(windows.get(r.windowStart) || {}, { rate: r })));
  const most = Math.max(1, ...signIns.rollups.map(r => r.count));
  body.replaceChildren();
  [...windows.keys()].sort().forEach(start => {
    const w = windows.get(start);
    const row = el('tr', { 'data-window': start });
    row.appendChild(el('td', {}, label(start)));
    row.appendChild(el('td', { 'data-key': 'sign_ins.' + granularity + '.' + start, class: 'number' },
      w.signIns ? count(w.signIns.count) : '0'));
    row.appendChild(bar(w.signIns ? w.signIns.count / most : 0));
    row.appendChild(el('td', { 'data-key': 'failed_login_rate.' + granularity + '.' + start },
      w.rate ? percent(w.rate.value) : '–'));
    row.appendChild(el('td', { 'data-key': 'attempts.' + granularity + '.' + start },
      w.rate ? String(w.rate.total) : '–'));
    body.appendChild(row);
  });
}

async function mixes(day) {
  const range = '&granularity=day&from=' + iso(day.getTime() - 6 * DAY_MS) + '&to=' + iso(day.getTime());
  for (const by of ['provider', 'connection', 'client']) {
    const answer = await getJson('/analytics/sign_ins/mix?by=' + by + range);
    const body = document.getElementById('mix-' + by);
    body.replaceChildren();
    const entries = Object.entries(answer.values).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const total = entries.reduce((sum, [, n]) => sum + n, 0) || 1;
    entries.forEach(([value, n]) => {
      const row = el('tr');
      row.appendChild(el('td', {}, value));
      row.appendChild(el('td', { 'data-key': 'mix.' + by + '.' + value, class: 'number' }, count(n)));
      row.appendChild(bar(n / total));
      body.appendChild(row);
    });
    if (entries.length === 0) {
      body.appendChild(el('tr')).appendChild(el('td', { class: 'muted' }, 'no sign-ins'));
    }
  }
}

function where(alert) {
  const a = alert.attributes || {};
  return a.countries || a.country || a.countryCode || '';
}

function alertRow(alert, fresh) {
  const row = el('tr', { 'data-alert-id': alert.alertId, class: fresh ? 'new' : '' });
  row.appendChild(el('td', {}, alert.detectedAt));
  row.appendChild(el('td', { class: 'sev-' + alert.severity }, alert.severity));
  row.appendChild(el('td', {}, alert.ruleId));
  row.appendChild(el('td', {}, alert.userId || ''));
  row.appendChild(el('td', {}, alert.ip || ''));
  row.appendChild(el('td', {}, where(alert)));
  row.appendChild(el('td', {}, alert.summary));
  return row;
}

let alertsKept = 50;

function showAlertCount() {
  setKey('alerts.count', String(document.getElementById('alert-rows').children.length));
}

async function alerts() {
  const answer = await getJson('/alerts');
  const body = document.getElementById('alert-rows');
  body.replaceChildren(...answer.alerts.map(a => alertRow(a, false)));
  alertsKept = Math.max(alertsKept, answer.alerts.length);
  showAlertCount();
}

function liveAlerts() {
  const badge = document.getElementById('live');
  const source = new EventSource('/alerts/stream');
  source.onopen = () => {
    document.body.dataset.live = 'open';
    badge.textContent = 'live';
    badge.className = 'badge open';
  };
  source.onerror = () => {
    document.body.dataset.live = 'reconnecting';
    badge.textContent = 'reconnecting';
    badge.className = 'badge';
  };
  source.addEventListener('alert', message => {
    const alert = JSON.parse(message.data);
    const body = document.getElementById('alert-rows');
    if (body.querySelector('[data-alert-id="' + CSS.escape(alert.alertId) + '"]')) {
      return;
    }
    body.insertBefore(alertRow(alert, true), body.firstChild);
    while (body.children.length > alertsKept) {
      body.removeChild(body.lastChild);
    }
    showAlertCount();
  });
}

function countTable(body, prefix, counts) {
  body.replaceChildren();
  Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).forEach(([name, n]) => {
    const row = el('tr');
    row.appendChild(el('td', {}, name));
    row.appendChild(el('td', { 'data-key': prefix + name, class: 'number' }, String(n)));
    body.appendChild(row);
  });
}

async function deadLetters() {
  const answer = await getJson('/dead-letters');
  setKey('dead_letters.total', String(answer.total));
  setKey('dead_letters.awaiting', String(answer.awaiting));
  setKey('dead_letters.redriven', String(answer.redriven));
  countTable(document.getElementById('dead-letter-awaiting'), 'dead_letters.awaiting.', answer.awaitingByReason);
  countTable(document.getElementById('dead-letter-reasons'), 'dead_letters.reason.', answer.byReason);
  countTable(document.getElementById('dead-letter-sources'), 'dead_letters.source.', answer.bySource);
}

async function pipeline() {
  const answer = await getJson('/pipeline');
  setKey('pipeline.streams.state', answer.streams.state);
  document.getElementById('threads').textContent =
    answer.streams.threads.length ? '(threads: ' + answer.streams.threads.join(', ') + ')' : '';
  const stages = document.getElementById('stages');
  stages.replaceChildren();
  answer.stages.forEach(stage => {
    const row = el('tr');
    row.appendChild(el('td', {}, stage.group));
    row.appendChild(el('td', { 'data-key': 'lag.' + stage.group, class: 'number' },
      stage.problem ? stage.problem : String(stage.lag)));
    stages.appendChild(row);
  });
  const note = document.getElementById('gateway-note');
  const statuses = document.getElementById('gateway-statuses');
  if (!answer.gateway) {
    note.textContent = 'not shown: DASHBOARD_GATEWAY_METRICS_URL is not set';
    statuses.replaceChildren();
  } else if (!answer.gateway.reachable) {
    note.textContent = answer.gateway.url + ' ' + answer.gateway.problem;
    statuses.replaceChildren();
  } else {
    note.textContent = answer.gateway.total + ' requests answered (' + answer.gateway.url + ')';
    countTable(statuses, 'gateway.status.', answer.gateway.byStatus);
  }
}

function stamp() {
  document.getElementById('updated').textContent = 'updated ' + new Date().toISOString();
}

async function analytics(day) {
  const start = day.getTime();
  await Promise.all([
    activeUsers(day),
    series('hour', start, start + 23 * HOUR_MS, document.getElementById('hours'), s => s.substring(11, 16)),
    series('day', start - 6 * DAY_MS, start, document.getElementById('days'), s => s.substring(0, 10)),
    mixes(day),
  ]);
}

async function main() {
  const day = chosenDay();
  document.getElementById('day').value = iso(day.getTime()).substring(0, 10);
  liveAlerts();
  try {
    await Promise.all([analytics(day), alerts(), deadLetters(), pipeline()]);
    stamp();
    document.body.dataset.ready = 'true';
  } catch (e) {
    document.body.dataset.ready = 'failed';
    document.getElementById('updated').textContent = 'could not load: ' + e.message;
  }
  setInterval(() => {
    Promise.all([deadLetters(), pipeline()]).then(stamp).catch(e => {
      document.getElementById('updated').textContent = 'refresh failed: ' + e.message;
    });
  }, REFRESH_MS);
  setInterval(() => { analytics(day).then(stamp).catch(() => {}); }, 6 * REFRESH_MS);
}

document.addEventListener('DOMContentLoaded', main);
