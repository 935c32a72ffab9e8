// The console's deploy form, package publish (with upload progress), versions and rollback.
// Loaded after console.js and uses its globals (state, $, api, cell, confirmAction,
// loadTree, openServer, loadInstances). The API is tarsweb's WebPublish (README.md).
'use strict';

const publishState = { maxUpload: 0, adapters: 0 };

function byteText(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

// ---- deploy a server from a form

const adapterFields = [
  ['name', 'name', 'App.Server.ObjAdapter'],
  ['endpoint', 'endpoint', 'tcp -h localip -p 20001 -t 60000'],
  ['servant', 'servant', 'App.Server.Obj'],
  ['threads', 'threads', '5'],
  ['maxconns', 'max connections', '10240'],
  ['protocol', 'protocol', 'tars'],
  ['queuecap', 'queue capacity', '100000'],
  ['queuetimeout', 'queue timeout (ms)', '600000'],
  ['allow', 'allowed IPs', 'empty: all'],
];

function addAdapter() {
  const n = ++publishState.adapters;
  const box = document.createElement('div');
  box.className = 'adapter form-grid';
  box.dataset.adapter = String(n);
  for (const [key, text, placeholder] of adapterFields) {
    const wrap = document.createElement('div');
    const id = `deploy-adapter-${n}-${key}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = `Adapter ${n} ${text}`;
    const input = document.createElement('input');
    input.id = id;
    input.dataset.key = key;
    input.placeholder = placeholder;
    input.autocomplete = 'off';
    wrap.append(label, input);
    box.append(wrap);
  }
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = `Remove adapter ${n}`;
  remove.addEventListener('click', () => box.remove());
  box.append(remove);
  $('deploy-adapters').append(box);
}

function deployRequest() {
  const deploy = {};
  const fields = { app: 'deploy-app', server: 'deploy-server', node: 'deploy-node', template: 'deploy-template',
    executable: 'deploy-executable', setting: 'deploy-setting', set: 'deploy-set', ops: 'deploy-ops' };
  for (const [key, id] of Object.entries(fields)) deploy[key] = $(id).value.trim();
  const adapters = [];
  for (const box of $('deploy-adapters').querySelectorAll('.adapter')) {
    const adapter = {};
    let any = false;
    for (const input of box.querySelectorAll('input')) {
      adapter[input.dataset.key] = input.value.trim();
      any = any || adapter[input.dataset.key] !== '';
    }
    if (any) adapters.push(adapter);
  }
  return { deploy, adapters };
}

function setDeployResult(text, isError) {
  const r = $('deploy-result');
  r.textContent = text;
  r.classList.toggle('error', !!isError);
}

$('deploy-open').addEventListener('click', () => {
  setDeployResult('');
  if (!$('deploy-adapters').querySelector('.adapter')) addAdapter();
  $('deploy-dialog').showModal();
  $('deploy-app').focus();
});
$('deploy-close').addEventListener('click', () => $('deploy-dialog').close());
$('deploy-add-adapter').addEventListener('click', addAdapter);

$('deploy-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const request = deployRequest();
  const button = $('deploy-submit');
  button.disabled = true;
  setDeployResult('Deploying ...');
  try {
    const answer = await api('POST', '/api/deploy', request, 180000);
    setDeployResult((answer.results || []).map((r) => `${r.app}.${r.server} on ${r.node}: ${r.result}`).join('\n'));
    await loadTree();
    openServer(request.deploy.app, request.deploy.server);
  } catch (e) {
    setDeployResult(e.message, true);
    if (e.status === 409) loadTree();  // some nodes may have taken it
  } finally {
    button.disabled = false;
  }
});

// ---- publish a package: the upload with its progress (XMLHttpRequest: fetch has no upload progress)

function setProgress(percent) {
  const bar = $('publish-progress');
  bar.hidden = false;
  bar.setAttribute('aria-valuenow', String(percent));
  bar.setAttribute('aria-valuetext', `${percent} %`);
  bar.querySelector('.progress-fill').style.width = `${percent}%`;
}

function setPublishStatus(text, isError) {
  $('publish-status').textContent = text;
  $('publish-status').classList.toggle('error', !!isError);
}

function showNodeOutcomes(nodes) {
  const list = document.createDocumentFragment();
  for (const n of nodes || []) {
    const li = document.createElement('li');
    li.className = n.ok ? 'ok' : 'failed';
    li.textContent = `${n.node}: ${n.ok ? 'took it' : 'failed'}${n.result ? ` (${n.result})` : ''}`;
    list.append(li);
  }
  $('publish-nodes').replaceChildren(list);
}

// Sends file as the body of POST url; resolves to {status, data}. onProgress(0..100).
function upload(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-CSRF-Token', state.csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.floor((e.loaded * 100) / e.total)); };
    xhr.upload.onload = () => onProgress(100);
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      resolve({ status: xhr.status, data });
    };
    xhr.onerror = () => reject(new Error('the upload was cut off (the console closed the connection: too large?)'));
    xhr.ontimeout = () => reject(new Error('no answer from the console in time'));
    xhr.timeout = 600000;
    xhr.send(file);
  });
}

$('publish-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = state.current;
  const file = $('publish-file').files[0];
  if (!name || !file) return;
  $('publish-nodes').replaceChildren();
  if (publishState.maxUpload && file.size > publishState.maxUpload) {
    setPublishStatus(`${file.name} is ${byteText(file.size)}; the console takes packages up to ${byteText(publishState.maxUpload)}`, true);
    return;
  }
  const query = `comment=${encodeURIComponent($('publish-comment').value)}${$('publish-rolling').checked ? '&rolling=1' : ''}`;
  const button = $('publish-submit');
  button.disabled = true;
  setProgress(0);
  setPublishStatus(`Uploading ${file.name} (${byteText(file.size)}) ...`);
  try {
    const { status, data } = await upload(`/api/servers/${encodeURIComponent(name)}/publish?${query}`, file, (percent) => {
      setProgress(percent);
      if (percent === 100) setPublishStatus(`Uploaded ${file.name}; the nodes are installing it ...`);
    });
    if (status === 401) showLogin('Your session ended: log in again.');
    if (status !== 200) {
      setPublishStatus((data && data.error) || `HTTP ${status}`, true);
    } else {
      setPublishStatus(`Version ${data.version} ${data.ok ? 'taken by every node' : 'was not taken by every node'}.`, !data.ok);
      showNodeOutcomes(data.nodes);
    }
  } catch (e) {
    setPublishStatus(e.message, true);
  } finally {
    button.disabled = false;
  }
  if (name === state.current) {
    loadVersions();
    loadInstances();
  }
});

// ---- versions and rollback

async function loadVersions() {
  const name = state.current;
  if (!name) return;
  const status = $('versions-status');
  const body = $('version-table').querySelector('tbody');
  try {
    const answer = await withLoading(status, api('GET', `/api/servers/${encodeURIComponent(name)}/versions`));
    if (name !== state.current) return;
    publishState.maxUpload = answer.maxUpload || 0;
    $('publish-limit').textContent = publishState.maxUpload ? `At most ${byteText(publishState.maxUpload)}.` : '';
    const rows = document.createDocumentFragment();
    for (const v of answer.versions) {
      const tr = document.createElement('tr');
      tr.dataset.version = v.version;
      tr.append(cell(v.version || '(none)'), cell(v.recorded ? `${v.time}${v.user ? ` by ${v.user}` : ''}` : 'not recorded'),
        cell(v.recorded ? byteText(v.size) : ''), cell((v.nodes || []).join(', '), 'version-nodes'), cell(v.comment || ''));
      const actions = cell('', 'actions');
      if (v.recorded) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = 'Roll back';
        b.setAttribute('aria-label', `Roll back to ${v.version}`);
        b.addEventListener('click', () => rollbackTo(v.version, b));
        actions.append(b);
      }
      tr.append(actions);
      rows.append(tr);
    }
    body.replaceChildren(rows);
    status.textContent = answer.versions.length ? '' : 'No version was published yet.';
  } catch (e) {
    if (name !== state.current) return;
    body.replaceChildren();
    status.textContent = `The versions could not be loaded: ${e.message}`;
  }
}

async function rollbackTo(version, button) {
  const name = state.current;
  if (!(await confirmAction(`Roll ${name} back to version ${version} on every node?`))) return;
  button.disabled = true;
  $('publish-progress').hidden = true;
  setPublishStatus(`Rolling ${name} back to ${version} ...`);
  $('publish-nodes').replaceChildren();
  try {
    const answer = await api('POST', `/api/servers/${encodeURIComponent(name)}/rollback`, { to: version }, 600000);
    setPublishStatus(`Rolled back to ${answer.version}: ${answer.ok ? 'taken by every node' : 'not taken by every node'}.`, !answer.ok);
    showNodeOutcomes(answer.nodes);
  } catch (e) {
    setPublishStatus(e.message, true);
  } finally {
    button.disabled = false;
  }
  if (name === state.current) {
    loadVersions();
    loadInstances();
  }
}

// console.js's openServer sets the title: a new server's page also shows its versions.
new MutationObserver(() => {
  if (!state.current) return;
  setPublishStatus('');
  $('publish-nodes').replaceChildren();
  $('publish-progress').hidden = true;
  $('publish-form').reset();
  loadVersions();
}).observe($('server-title'), { childList: true, characterData: true, subtree: true });
$('refresh').addEventListener('click', loadVersions);
