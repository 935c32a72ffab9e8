// The TARS console's page: plain JavaScript, no build step. It talks to tarsweb's JSON API
// (/api/...); the session is an HttpOnly cookie, and every state-changing call carries
// the session's CSRF token in X-CSRF-Token.
'use strict';

const state = { csrf: '', user: '', servers: [], current: null, loadFailed: false, nodes: [], editing: null };
const $ = (id) => document.getElementById(id);

// One API call. Resolves to the parsed JSON; rejects with an Error whose message is the
// server's {"error": ...} or says what went wrong (timeout, no answer).
async function api(method, path, body, timeoutMs = 20000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const headers = {};
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (state.csrf) headers['X-CSRF-Token'] = state.csrf;
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', signal: controller.signal,
      body: method === 'GET' ? undefined : JSON.stringify(body || {}),
    });
  } catch (e) {
    throw new Error(e.name === 'AbortError' ? `no answer from the console within ${timeoutMs / 1000} s`
      : `the console cannot be reached: ${e.message}`);
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (response.status === 401 && path !== '/api/login') {
    showLogin('Your session ended: log in again.');
  }
  if (!response.ok) {
    const error = new Error((data && data.error) || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data || {};
}

function notice(text) {
  const n = $('notice');
  n.textContent = text || '';
  n.hidden = !text;
}

// Shows "Loading ..." in element when a call takes more than 300 ms.
async function withLoading(element, promise, text = 'Loading ...') {
  const timer = setTimeout(() => { element.textContent = text; }, 300);
  try { return await promise; } finally { clearTimeout(timer); }
}

function showLogin(message) {
  state.csrf = '';
  $('console-view').hidden = true;
  $('who').hidden = true;
  $('login-view').hidden = false;
  $('login-message').textContent = message || '';
  $('login-password').value = '';
  $('login-password').focus();
}

function showConsole() {
  $('login-view').hidden = true;
  $('console-view').hidden = false;
  $('who').hidden = false;
  $('user-name').textContent = state.user;
  loadTree();
}

async function start() {
  try {
    const session = await api('GET', '/api/session');
    state.csrf = session.csrf;
    state.user = session.user;
    showConsole();
  } catch (e) {
    showLogin(e.status === 401 ? '' : e.message);
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = event.submitter || $('login-form').querySelector('button');
  button.disabled = true;
  $('login-message').textContent = '';
  try {
    const answer = await api('POST', '/api/login', { user: $('login-user').value, password: $('login-password').value });
    state.csrf = answer.csrf;
    state.user = answer.user;
    $('login-password').value = '';
    notice('');
    showConsole();
  } catch (e) {
    $('login-message').textContent = e.message;
  } finally {
    button.disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  try { await api('POST', '/api/logout', {}); } catch (e) { /* the session is gone either way */ }
  showLogin('Logged out.');
});

// ---- the service tree: application, then server; filtered by the search box

async function loadTree() {
  const status = $('tree-status');
  try {
    const answer = await withLoading(status, api('GET', '/api/servers'));
    state.servers = answer.servers || [];
    status.textContent = '';
    renderTree();
  } catch (e) {
    status.textContent = `The server list could not be loaded: ${e.message}`;
  }
}

function renderTree() {
  const filter = $('search').value.trim().toLowerCase();
  const apps = new Map();
  for (const s of state.servers) {
    const full = `${s.app}.${s.server}`;
    if (filter && !full.toLowerCase().includes(filter)) continue;
    if (!apps.has(s.app)) apps.set(s.app, new Set());
    apps.get(s.app).add(s.server);
  }
  const tree = $('tree');
  const fragment = document.createDocumentFragment();
  for (const app of [...apps.keys()].sort()) {
    const item = document.createElement('li');
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'app-toggle';
    toggle.textContent = app;
    toggle.setAttribute('aria-expanded', 'true');
    const list = document.createElement('ul');
    list.setAttribute('aria-label', `Servers of ${app}`);
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      toggle.setAttribute('aria-expanded', String(!open));
      list.hidden = open;
    });
    for (const server of [...apps.get(app)].sort()) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = server;
      button.setAttribute('aria-label', `${app}.${server}`);
      if (state.current === `${app}.${server}`) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => openServer(app, server));
      li.append(button);
      list.append(li);
    }
    item.append(toggle, list);
    fragment.append(item);
  }
  tree.replaceChildren(fragment);
  if (!apps.size) $('tree-status').textContent = state.servers.length ? 'No server matches the search.' : 'No server is deployed.';
  else if ($('tree-status').textContent.startsWith('No server')) $('tree-status').textContent = '';
}

let searchTimer = 0;
$('search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(renderTree, 120);
});

// ---- a server's instances

function openServer(app, server) {
  state.current = `${app}.${server}`;
  for (const b of $('tree').querySelectorAll('button[aria-current]')) b.removeAttribute('aria-current');
  const selected = $('tree').querySelector(`button[aria-label="${CSS.escape(state.current)}"]`);
  if (selected) selected.setAttribute('aria-current', 'true');
  $('empty-detail').hidden = true;
  $('server-detail').hidden = false;
  $('server-title').textContent = state.current;
  setResult('');
  $('command-answer').textContent = '';
  closeEditor();
  loadInstances();
  loadEvents();
  loadConfigs();
}

function setResult(text, isError = false) {
  const r = $('action-result');
  r.textContent = text;
  r.classList.toggle('error', isError);
}

const columns = ['Node', 'Setting', 'Present', 'PID', 'Version', 'Endpoints', 'Actions'];

// A table cell; its column name goes in data-label (shown beside it at a phone's width).
function cell(text, className, column) {
  const td = document.createElement('td');
  td.setAttribute('role', 'cell');  // kept when the phone layout makes it a block
  td.textContent = text;
  if (className) td.className = className;
  if (column) td.dataset.label = column;
  return td;
}

async function loadInstances() {
  const name = state.current;
  if (!name) return;
  const body = $('instances').querySelector('tbody');
  try {
    const answer = await withLoading($('action-result'), api('GET', `/api/servers/${encodeURIComponent(name)}`));
    if (name !== state.current) return;
    if ($('action-result').textContent === 'Loading ...' || state.loadFailed) setResult('');
    state.loadFailed = false;
    const rows = document.createDocumentFragment();
    const nodes = $('command-node');
    nodes.replaceChildren();
    for (const inst of answer.instances) {
      const tr = document.createElement('tr');
      tr.setAttribute('role', 'row');
      const present = inst.presentInNode && inst.presentInNode !== 'unknown' ? inst.presentInNode : inst.present;
      tr.append(cell(inst.node, '', columns[0]), cell(inst.setting, `state-${inst.setting}`, columns[1]),
        cell(present, `state-${present}`, columns[2]), cell(String(inst.pid || ''), '', columns[3]),
        cell(inst.version || '-', '', columns[4]));
      const endpoints = cell('', '', columns[5]);
      for (const ep of inst.endpoints || []) {
        const line = document.createElement('div');
        line.className = 'endpoint';
        line.textContent = `${ep.servant} @ ${ep.endpoint}${ep.protocol && ep.protocol !== 'tars' ? ` (${ep.protocol})` : ''}`;
        endpoints.append(line);
      }
      if (inst.endpointsError || inst.stateError) {
        const warn = document.createElement('div');
        warn.className = 'muted';
        warn.textContent = inst.stateError || inst.endpointsError;
        endpoints.append(warn);
      }
      tr.append(endpoints);
      const actions = cell('', 'actions', columns[6]);
      const buttons = document.createElement('div');
      buttons.className = 'buttons-row';
      actions.append(buttons);
      for (const verb of ['start', 'stop', 'restart', 'undeploy']) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = verb[0].toUpperCase() + verb.slice(1);
        b.setAttribute('aria-label', `${b.textContent} ${name} on ${inst.node}`);
        if (verb === 'stop' || verb === 'undeploy') b.className = 'danger';
        b.addEventListener('click', () => runCommand(verb, inst.node, b));
        buttons.append(b);
      }
      tr.append(actions);
      rows.append(tr);
      const option = document.createElement('option');
      option.value = inst.node;
      option.textContent = inst.node;
      nodes.append(option);
    }
    state.nodes = answer.instances.map((inst) => inst.node);
    body.replaceChildren(rows);
  } catch (e) {
    if (name !== state.current) return;
    body.replaceChildren();
    state.loadFailed = true;
    setResult(`The instances of ${name} could not be loaded: ${e.message}`, true);
  }
}

$('refresh').addEventListener('click', () => { loadInstances(); loadEvents(); });

// ---- the server's events (tarsnotify), newest first

async function loadEvents() {
  const name = state.current;
  const status = $('events-status');
  const body = $('event-table').querySelector('tbody');
  try {
    const answer = await withLoading(status, api('GET', `/api/servers/${encodeURIComponent(name)}/events`));
    if (name !== state.current) return;
    const rows = document.createDocumentFragment();
    for (const e of answer.events) {
      const tr = document.createElement('tr');
      tr.append(cell(e.time), cell(e.level, `level-${e.level}`), cell(e.serverId), cell(e.message));
      rows.append(tr);
    }
    body.replaceChildren(rows);
    status.textContent = answer.events.length ? '' : 'No event is recorded for this server.';
  } catch (e) {
    if (name !== state.current) return;
    body.replaceChildren();
    status.textContent = `The events could not be loaded: ${e.message}`;
  }
}

// Asks before an action; detail: a node (e.g. a diff) shown under the question.
function confirmAction(text, detail) {
  return new Promise((resolve) => {
    const dialog = $('confirm');
    $('confirm-text').textContent = text;
    $('confirm-detail').replaceChildren(...(detail ? [detail] : []));
    $('confirm-detail').hidden = !detail;
    $('confirm-ok').textContent = 'Confirm';
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

async function runCommand(verb, node, button) {
  const name = state.current;
  const ok = await confirmAction(`${verb[0].toUpperCase() + verb.slice(1)} ${name} on ${node}?`);
  if (!ok) return;
  button.disabled = true;
  setResult(`${verb} ${name} on ${node}: working ...`);
  try {
    const answer = await api('POST', `/api/servers/${encodeURIComponent(name)}/${verb}`, { node }, 180000);
    setResult(`${verb} ${name} on ${node}: done${answer.result ? ` (${answer.result})` : ''}`);
  } catch (e) {
    setResult(e.message, true);
  } finally {
    button.disabled = false;
  }
  if (verb === 'undeploy') {
    await loadTree();
  }
  await loadInstances();
}

$('command-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = state.current;
  const node = $('command-node').value;
  const command = $('command-text').value.trim();
  const answer = $('command-answer');
  if (!command) return;
  answer.textContent = 'Sending ...';
  try {
    const reply = await api('POST', `/api/servers/${encodeURIComponent(name)}/notify`, { node, command });
    answer.textContent = reply.result || '(empty answer)';
  } catch (e) {
    answer.textContent = `Failed: ${e.message}`;
  }
});

// ---- config files: list, view and edit with the changes shown before saving, push

const levelNames = { 1: 'application', 2: 'server', 3: 'host' };

async function loadConfigs() {
  const name = state.current;
  const status = $('configs-status');
  const body = $('config-table').querySelector('tbody');
  try {
    const answer = await withLoading(status, api('GET', `/api/servers/${encodeURIComponent(name)}/configs`));
    if (name !== state.current) return;
    const rows = document.createDocumentFragment();
    for (const f of answer.files) {
      const tr = document.createElement('tr');
      const level = `${levelNames[f.level] || f.level}${f.host ? ` (${f.host})` : ''}`;
      tr.append(cell(f.name), cell(level), cell(`${f.postTime || ''}${f.lastUser ? ` by ${f.lastUser}` : ''}`));
      const actions = cell('', 'actions');
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.textContent = 'Edit';
      edit.setAttribute('aria-label', `Edit ${f.name}${f.level === 3 ? ` on ${f.host}` : ''}${f.level === 1 ? ' (application)' : ''}`);
      edit.addEventListener('click', () => openEditor(f));
      actions.append(edit);
      tr.append(actions);
      rows.append(tr);
    }
    body.replaceChildren(rows);
    status.textContent = answer.files.length ? '' : 'No config file is stored for this server.';
  } catch (e) {
    if (name !== state.current) return;
    body.replaceChildren();
    status.textContent = `The config files could not be loaded: ${e.message}`;
  }
}

function closeEditor() {
  state.editing = null;
  $('config-editor').hidden = true;
  $('config-changes').replaceChildren();
  $('config-result').textContent = '';
}

async function openEditor(file) {
  const name = state.current;
  const query = `name=${encodeURIComponent(file.name)}&level=${file.level}&host=${encodeURIComponent(file.host || '')}`;
  $('config-result').textContent = 'Loading ...';
  try {
    const answer = await api('GET', `/api/servers/${encodeURIComponent(name)}/configfile?${query}`);
    state.editing = { ...file, original: answer.content };
    $('config-label').textContent = `Contents of ${file.name}`;
    $('config-text').value = answer.content;
    $('config-changes').replaceChildren();
    $('config-result').textContent = '';
    $('config-editor').hidden = false;
    $('config-text').focus();
  } catch (e) {
    $('config-editor').hidden = false;
    $('config-result').textContent = `${file.name} could not be read: ${e.message}`;
  }
}

// A line diff (longest common subsequence) of a and b, as nodes: "- " removed, "+ " added.
function lineDiff(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  const out = document.createDocumentFragment();
  const line = (cls, prefix, text) => {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = `${prefix}${text}`;
    out.append(span);
  };
  if (x.length * y.length > 4000000) {
    line('same', '', `(too large to compare line by line: ${x.length} lines before, ${y.length} after)`);
    return { nodes: out, changed: a !== b };
  }
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; --i) {
    for (let j = m - 1; j >= 0; --j) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  let changed = false;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { line('same', '  ', x[i]); ++i; ++j; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { line('del', '- ', x[i]); ++i; changed = true; }
    else { line('add', '+ ', y[j]); ++j; changed = true; }
  }
  return { nodes: out, changed };
}

$('config-diff').addEventListener('click', () => {
  if (!state.editing) return;
  const diff = lineDiff(state.editing.original, $('config-text').value);
  $('config-changes').replaceChildren(diff.nodes);
  if (!diff.changed) $('config-changes').textContent = 'No changes.';
});

$('config-save').addEventListener('click', async () => {
  const file = state.editing;
  if (!file) return;
  const content = $('config-text').value;
  const diff = lineDiff(file.original, content);
  if (!diff.changed) { $('config-result').textContent = 'No changes to save.'; return; }
  const pre = document.createElement('div');
  pre.append(diff.nodes);
  if (!(await confirmAction(`Save these changes to ${file.name}?`, pre))) return;
  $('config-result').textContent = 'Saving ...';
  try {
    const answer = await api('POST', `/api/servers/${encodeURIComponent(state.current)}/configfile`,
      { name: file.name, level: file.level, host: file.host || '', content });
    file.original = content;
    $('config-changes').replaceChildren();
    $('config-result').textContent = `${answer.result}.`;
    loadConfigs();
  } catch (e) {
    $('config-result').textContent = `Saving failed: ${e.message}`;
  }
});

$('config-push').addEventListener('click', async () => {
  const file = state.editing;
  if (!file) return;
  const name = state.current;
  const nodes = file.level === 3 ? [file.host] : state.nodes;
  if (!(await confirmAction(`Push ${file.name} to ${name} on ${nodes.join(', ')} (tars.loadconfig)?`))) return;
  $('config-result').textContent = 'Pushing ...';
  const lines = [];
  for (const node of nodes) {
    try {
      const reply = await api('POST', `/api/servers/${encodeURIComponent(name)}/notify`,
        { node, command: `tars.loadconfig ${file.name}` });
      lines.push(`${node}: ${reply.result}`);
    } catch (e) {
      lines.push(`${node}: failed: ${e.message}`);
    }
  }
  $('config-result').textContent = lines.join('\n');
});

$('config-close').addEventListener('click', closeEditor);

start();
