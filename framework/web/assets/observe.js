// The console's observation views: a server's calls and properties over time (charts drawn
// as SVG by hand), its instances' log tail with a follow toggle, and the nodes page.
// Plain JavaScript beside console.js, whose api(), $ and state it uses (classic scripts
// share their top-level names). It learns that a server was opened by watching the
// server's title, so console.js needs no hook.
'use strict';

const observe = { server: '', followTimer: 0, log: null, generation: 0 };
const kLogKeepChars = 200000;  // what the page keeps of a followed log (older lines drop)
const kFollowPollMs = 2000;
const svgNs = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const element = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attributes || {})) element.setAttribute(k, String(v));
  return element;
}

function timeText(seconds, withDate) {
  const d = new Date(seconds * 1000);
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return withDate ? `${d.toLocaleDateString()} ${hm}` : hm;
}

function numberText(v) {
  if (!Number.isFinite(v)) return '-';
  if (Math.abs(v) >= 1000 || Number.isInteger(v)) return String(Math.round(v * 100) / 100);
  return v.toFixed(2);
}

// A chart of series over [from, to]: a <figure> whose SVG is role=img, named by title and
// its point count, with the values in a table under it (for screen readers and tests).
// series: [{ label, values: [[t, v], ...] }]; every series has the same times.
function chart(title, series, from, to, unit) {
  const times = series.length ? series[0].values.map((p) => p[0]) : [];
  const width = 600;
  const height = 180;
  const pad = { left: 48, right: 12, top: 10, bottom: 24 };
  let max = 0;
  for (const s of series) for (const [, v] of s.values) max = Math.max(max, v);
  if (max <= 0) max = 1;
  const x = (t) => pad.left + ((t - from) / Math.max(1, to - from)) * (width - pad.left - pad.right);
  const y = (v) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);

  const figure = document.createElement('figure');
  figure.className = 'chart';
  const name = `${title}: ${times.length} point${times.length === 1 ? '' : 's'}`;
  const picture = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': name,
    'data-points': times.length, preserveAspectRatio: 'none' });
  picture.append(svg('line', { x1: pad.left, y1: y(0), x2: width - pad.right, y2: y(0), class: 'axis' }));
  picture.append(svg('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: y(0), class: 'axis' }));
  const label = (text, attributes) => { const t = svg('text', attributes); t.textContent = text; picture.append(t); };
  label(`${numberText(max)}${unit}`, { x: pad.left - 4, y: pad.top + 8, 'text-anchor': 'end', class: 'tick' });
  label(`0${unit}`, { x: pad.left - 4, y: y(0), 'text-anchor': 'end', class: 'tick' });
  label(timeText(from), { x: pad.left, y: height - 6, class: 'tick' });
  label(timeText(to), { x: width - pad.right, y: height - 6, 'text-anchor': 'end', class: 'tick' });
  series.forEach((s, i) => {
    const points = s.values.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    if (s.values.length > 1) picture.append(svg('polyline', { points, class: `line series-${i}` }));
    for (const [t, v] of s.values) {
      const dot = svg('circle', { cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 2.5, class: `dot series-${i}` });
      const tip = svg('title');
      tip.textContent = `${s.label} ${timeText(t)}: ${numberText(v)}${unit}`;
      dot.append(tip);
      picture.append(dot);
    }
  });

  const caption = document.createElement('figcaption');
  const heading = document.createElement('strong');
  heading.textContent = title;
  caption.append(heading);
  series.forEach((s, i) => {
    const key = document.createElement('span');
    key.className = `key series-${i}`;
    key.textContent = s.label;
    caption.append(' ', key);
  });

  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `Values (${times.length})`;
  const table = document.createElement('table');
  table.setAttribute('aria-label', `${title} values`);
  const head = document.createElement('tr');
  for (const text of ['Time', ...series.map((s) => s.label)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.append(th);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  times.forEach((t, row) => {
    const tr = document.createElement('tr');
    for (const text of [timeText(t, true), ...series.map((s) => numberText(s.values[row][1]))]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    tbody.append(tr);
  });
  table.append(thead, tbody);
  details.append(summary, table);
  figure.append(caption, picture, details);
  return figure;
}

// ---- stat and property charts

async function loadCharts() {
  const name = observe.server;
  if (!name) return;
  const generation = ++observe.generation;
  const hours = $('observe-hours').value;
  const status = $('observe-status');
  const charts = $('stat-charts');
  const path = `/api/servers/${encodeURIComponent(name)}`;
  const current = () => generation === observe.generation && name === observe.server;
  try {
    const answer = await withLoading(status, api('GET', `${path}/stat?hours=${hours}`, undefined, 30000),
      'Loading the call statistics ...');
    if (!current()) return;
    const figures = document.createDocumentFragment();
    for (const i of answer.interfaces) {
      const values = (key) => i.points.map((p) => [p.t, p[key]]);
      figures.append(chart(`Calls of ${i.name}`, [
        { label: 'calls', values: values('calls') },
        { label: 'timeouts', values: values('timeouts') },
        { label: 'exceptions', values: values('exceptions') },
      ], answer.from, answer.to, ''));
      figures.append(chart(`Latency of ${i.name}`, [
        { label: 'p50', values: values('p50Ms') },
        { label: 'p90', values: values('p90Ms') },
        { label: 'p99', values: values('p99Ms') },
      ], answer.from, answer.to, ' ms'));
    }
    charts.replaceChildren(figures);
    status.textContent = answer.interfaces.length
      ? `${answer.side === 'client' ? 'As its callers report (it reports no calls itself). ' : ''}`
        + `One point per ${Math.round(answer.step / 60)} min; updated ${timeText(answer.to)}.`
      : `No calls of ${name} were reported in the last ${hours} h.`;
  } catch (e) {
    if (!current()) return;
    charts.replaceChildren();
    status.textContent = `The call statistics could not be loaded: ${e.message}`;
  }
  const propertyStatus = $('property-status');
  const propertyCharts = $('property-charts');
  try {
    const answer = await withLoading(propertyStatus,
      api('GET', `${path}/properties?hours=${hours}`, undefined, 30000), 'Loading the properties ...');
    if (!current()) return;
    const figures = document.createDocumentFragment();
    for (const p of answer.properties) {
      figures.append(chart(`Property ${p.name} (${p.policy})`,
        [{ label: p.policy, values: p.points.map((q) => [q.t, q.value]) }], answer.from, answer.to, ''));
    }
    propertyCharts.replaceChildren(figures);
    propertyStatus.textContent = answer.properties.length ? '' : `No property of ${name} was reported in the last ${hours} h.`;
  } catch (e) {
    if (!current()) return;
    propertyCharts.replaceChildren();
    propertyStatus.textContent = `The properties could not be loaded: ${e.message}`;
  }
}

$('observe-refresh').addEventListener('click', loadCharts);
$('observe-hours').addEventListener('change', loadCharts);

// ---- the log tail

function stopFollowing() {
  clearTimeout(observe.followTimer);
  observe.followTimer = 0;
}

function logPath(kind) {
  return `/api/servers/${encodeURIComponent(observe.server)}/${kind}?node=${encodeURIComponent($('log-node').value)}`;
}

async function loadLogFiles() {
  stopFollowing();
  observe.log = null;
  const name = observe.server;
  const node = $('log-node').value;
  const select = $('log-file');
  const status = $('log-status');
  select.replaceChildren();
  $('log-text').textContent = '';
  if (!node) { status.textContent = ''; return; }
  try {
    const answer = await withLoading(status, api('GET', logPath('logs')));
    if (name !== observe.server || node !== $('log-node').value) return;
    const main = `${name}.log`;
    for (const f of answer.files) {
      const option = document.createElement('option');
      option.value = f;
      option.textContent = f;
      if (f === main) option.selected = true;
      select.append(option);
    }
    status.textContent = answer.files.length ? '' : `${name} on ${node} has no log file yet.`;
  } catch (e) {
    if (name !== observe.server) return;
    status.textContent = `The log files could not be listed: ${e.message}`;
  }
}

// Appends text to the shown log, keeping at most kLogKeepChars (whole lines).
function appendLog(text) {
  const pre = $('log-text');
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  let all = (pre.textContent || '') + text;
  if (all.length > kLogKeepChars) {
    all = all.slice(all.length - kLogKeepChars);
    const nl = all.indexOf('\n');
    if (nl >= 0) all = all.slice(nl + 1);
  }
  pre.textContent = all;
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

async function showLog() {
  stopFollowing();
  const name = observe.server;
  const file = $('log-file').value;
  const status = $('log-status');
  if (!file) { status.textContent = 'Choose a log file first.'; return; }
  const lines = Math.min(5000, Math.max(1, Number($('log-lines').value) || 100));
  try {
    const answer = await withLoading(status,
      api('GET', `${logPath('log')}&file=${encodeURIComponent(file)}&lines=${lines}`));
    if (name !== observe.server) return;
    observe.log = { server: name, node: $('log-node').value, file, offset: answer.offset };
    $('log-text').textContent = '';
    appendLog(answer.data);
    const count = answer.data ? answer.data.split('\n').filter((l) => l).length : 0;
    status.textContent = `${file}: last ${count} line${count === 1 ? '' : 's'}.`;
    if ($('log-follow').checked) scheduleFollow();
  } catch (e) {
    if (name !== observe.server) return;
    status.textContent = `The log could not be read: ${e.message}`;
  }
}

function scheduleFollow() {
  stopFollowing();
  observe.followTimer = setTimeout(followOnce, kFollowPollMs);
}

async function followOnce() {
  const log = observe.log;
  // Logged out (the console is hidden) or the session ended: following stops for good.
  if (!log || log.server !== observe.server || !$('log-follow').checked || $('server-detail').hidden
      || $('console-view').hidden) return;
  try {
    const answer = await api('GET', `/api/servers/${encodeURIComponent(log.server)}/log?node=${encodeURIComponent(log.node)}`
      + `&file=${encodeURIComponent(log.file)}&from=${log.offset}`);
    if (observe.log !== log) return;
    if (answer.rolled) appendLog(`-- ${log.file} was rolled or truncated: reading it from the start --\n`);
    if (answer.cut) appendLog('-- more was written than shown: older lines skipped --\n');
    log.offset = answer.offset;
    if (answer.data) appendLog(answer.data);
    $('log-status').textContent = `${log.file}: following (every ${kFollowPollMs / 1000} s).`;
  } catch (e) {
    if (observe.log !== log) return;
    if (e.status === 401) {
      $('log-follow').checked = false;
      observe.log = null;
      return;
    }
    $('log-status').textContent = `Following ${log.file} failed: ${e.message} (trying again)`;
  }
  if (observe.log === log) scheduleFollow();
}

$('log-node').addEventListener('change', loadLogFiles);
$('log-file').addEventListener('change', () => { stopFollowing(); observe.log = null; });
$('log-show').addEventListener('click', showLog);
$('log-follow').addEventListener('change', () => {
  if (!$('log-follow').checked) { stopFollowing(); return; }
  if (observe.log) scheduleFollow(); else showLog();
});

// The instances' nodes, as console.js fills the admin command's node list.
new MutationObserver(() => {
  const nodes = [...$('command-node').options].map((o) => o.value);
  const select = $('log-node');
  const had = [...select.options].map((o) => o.value);
  if (nodes.join('\n') === had.join('\n')) return;
  const keep = select.value;
  select.replaceChildren(...nodes.map((n) => {
    const option = document.createElement('option');
    option.value = n;
    option.textContent = n;
    return option;
  }));
  if (nodes.includes(keep)) select.value = keep;
  if (select.value !== keep || !observe.log) loadLogFiles();
}).observe($('command-node'), { childList: true });

// ---- a server opened (console.js sets its title): its charts; the nodes page closes

new MutationObserver(() => {
  const name = $('server-title').textContent;
  if (!name || name === observe.server) return;
  $('nodes-view').hidden = true;
  $('nodes-open').removeAttribute('aria-current');
  observe.server = name;
  stopFollowing();
  observe.log = null;
  $('log-node').replaceChildren();  // refilled from the instances, which lists this server's files
  $('log-file').replaceChildren();
  $('log-text').textContent = '';
  $('log-status').textContent = '';
  $('stat-charts').replaceChildren();
  $('property-charts').replaceChildren();
  loadCharts();
}).observe($('server-title'), { childList: true, characterData: true, subtree: true });

// ---- the nodes page

function ageText(seconds) {
  if (seconds < 0) return 'never';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

async function loadNodes() {
  const status = $('nodes-status');
  const body = $('node-table').querySelector('tbody');
  try {
    const answer = await withLoading(status, api('GET', '/api/nodes'));
    const rows = document.createDocumentFragment();
    for (const n of answer.nodes) {
      const tr = document.createElement('tr');
      const load = (n.load || []).map((v) => v.toFixed(2)).join(' / ');
      const heartbeat = n.lastHeartbeat > 0
        ? `${ageText(n.heartbeatAge)} (${timeText(n.lastHeartbeat, true)})` : 'never';
      tr.append(cell(n.name), cell(n.present, `state-${n.present}`), cell(heartbeat), cell(load),
        cell(n.version || '-'), cell(n.endpoint, 'endpoint'));
      rows.append(tr);
    }
    body.replaceChildren(rows);
    status.textContent = answer.nodes.length ? `${answer.nodes.length} node${answer.nodes.length === 1 ? '' : 's'}.`
      : 'No node is registered.';
  } catch (e) {
    body.replaceChildren();
    status.textContent = `The nodes could not be loaded: ${e.message}`;
  }
}

$('nodes-open').addEventListener('click', () => {
  stopFollowing();
  $('empty-detail').hidden = true;
  $('server-detail').hidden = true;
  $('nodes-view').hidden = false;
  $('nodes-open').setAttribute('aria-current', 'page');
  for (const b of $('tree').querySelectorAll('button[aria-current]')) b.removeAttribute('aria-current');
  state.current = null;
  observe.server = '';
  $('server-title').textContent = '';
  loadNodes();
});
$('nodes-refresh').addEventListener('click', loadNodes);
