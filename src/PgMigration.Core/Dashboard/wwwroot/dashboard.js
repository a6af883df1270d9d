// The pgmigrate dashboard: plain JavaScript over the HTTP API of the host that serves it (GET /api/health,
// GET /api/connections/{name}/schemas, POST /api/migrations, GET /api/migrations[/{id}], POST .../cancel).
// Every value from the server or the databases is written with textContent, never as markup.
'use strict';

const Phases = ['planning', 'pre-data', 'data', 'post-data', 'finishing', 'verify', 'completed'];
// An online migration verifies during its cut over, with the source's tables still.
const OnlinePhases = ['planning', 'pre-data', 'online-start', 'data', 'post-data', 'follow', 'cutover', 'finishing', 'completed'];
const PhaseTitles = {
  planning: 'Planning', 'pre-data': 'Schema (pre-data)', data: 'Data', 'post-data': 'Keys, indexes, constraints',
  finishing: 'Finishing', verify: 'Verification', completed: 'Completed',
  'online-start': 'Replication slot', follow: 'Following changes', cutover: 'Cut over',
};
const ActiveStatuses = ['Pending', 'Running'];
const PollMilliseconds = 1000;
const OptionsKey = id => `pgmigrate.options.${id}`;

const state = {
  listing: null,
  openedId: null,
  lastStatus: null,
  pollTimer: null,
};

const $ = id => document.getElementById(id);

function element(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  const response = await fetch(path, init);
  if (response.status === 401) {
    showBanner('You are signed out. Reload the page to sign in again.', true);
  }

  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { title: `The server answered ${response.status} with a body that is not JSON.`, detail: text.slice(0, 300) };
  }

  return { status: response.status, ok: response.ok, body: json };
}

// ---- formatting ----------------------------------------------------------------------------------

const numberFormat = new Intl.NumberFormat();
const formatNumber = n => (n === null || n === undefined ? '—' : numberFormat.format(n));
const formatMegabytes = bytes => (bytes === null || bytes === undefined ? '—' : (bytes / (1024 * 1024)).toFixed(1));

function formatBytes(bytes) {
  if (!bytes) return '0 B';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

const formatTime = iso => (iso ? new Date(iso).toLocaleString() : '—');

// A pattern names a schema or schema.table; a name with a dot is written in double quotes.
const patternName = name => (name.includes('.') ? `"${name}"` : name);

// ---- banner and notifications --------------------------------------------------------------------

function showBanner(text, bad = false) {
  $('banner-text').textContent = text;
  $('banner').classList.toggle('bad', bad);
  $('banner').hidden = false;
}

function notifyFinished(status) {
  const text = status.runtimeStatus === 'Completed'
    ? `Migration ${status.instanceId} completed${status.output ? `: ${status.output.tablesVerified} of ${status.output.tables} tables verified` : ''}.`
    : `Migration ${status.instanceId} ended ${status.runtimeStatus}.`;
  showBanner(text, status.runtimeStatus !== 'Completed');
  if ('Notification' in window && Notification.permission === 'granted') {
    try {
      new Notification('pgmigrate', { body: text });
    } catch {
      // Some browsers allow notifications only from a service worker; the banner already says it.
    }
  }
}

function askForNotifications() {
  if ('Notification' in window && Notification.permission === 'default') {
    Notification.requestPermission().catch(() => {});
  }
}

// ---- connections ---------------------------------------------------------------------------------

async function loadHealth() {
  $('health-summary').textContent = 'Checking…';
  const { body } = await api('GET', '/api/health');
  const list = $('connection-list');
  list.replaceChildren();
  const checks = body?.checks ?? [];
  const connections = checks.filter(c => c.name.startsWith('connection:'));
  for (const check of checks) {
    const isConnection = check.name.startsWith('connection:');
    const name = isConnection ? check.name.slice('connection:'.length) : check.name;
    const version = /PostgreSQL (\S+)/.exec(check.detail)?.[1];
    list.append(element('li', { 'data-connection': name },
      element('span', { className: 'name', text: isConnection ? name : 'checkpoint storage' }),
      element('span', { className: check.healthy ? 'healthy' : 'unhealthy', text: check.healthy ? 'reachable' : 'unreachable' }),
      version ? element('span', { className: 'version', text: `PostgreSQL ${version}` }) : null,
      element('span', { className: 'latency muted', text: `${check.milliseconds} ms` }),
      element('span', { className: 'detail', text: check.detail })));
  }

  $('health-summary').textContent = body?.healthy
    ? `${connections.length} connection(s) configured, all reachable.`
    : `${connections.length} connection(s) configured; something is not reachable (see below).`;
  fillConnectionChoices(connections.map(c => c.name.slice('connection:'.length)));
}

function fillConnectionChoices(names) {
  for (const [id, preferred, fallback] of [['source', 'source', 0], ['target', 'target', 1]]) {
    const select = $(id);
    const current = select.value;
    select.replaceChildren(...names.map(name => element('option', { value: name, text: name })));
    select.value = names.includes(current) ? current : names.includes(preferred) ? preferred : names[Math.min(fallback, names.length - 1)] ?? '';
  }
  if (!state.listing || state.listing.connection !== $('source').value) {
    loadSchemas();
  }
}

// ---- schema browser ------------------------------------------------------------------------------

async function loadSchemas() {
  const name = $('source').value;
  $('browser-connection').textContent = name || 'the source';
  $('tree').replaceChildren();
  if (!name) {
    $('browser-status').textContent = 'No connection is configured.';
    return;
  }

  $('browser-status').textContent = `Reading the catalog of ${name}…`;
  const { ok, body } = await api('GET', `/api/connections/${encodeURIComponent(name)}/schemas`);
  if (!ok) {
    state.listing = null;
    $('browser-status').textContent = body?.detail ?? body?.title ?? 'The catalog could not be read.';
    return;
  }

  state.listing = body;
  renderTree();
}

function renderTree() {
  const tree = $('tree');
  tree.replaceChildren();
  const schemas = state.listing?.schemas ?? [];
  schemas.forEach((schema, s) => {
    const schemaBox = element('input', { type: 'checkbox', id: `schema-${s}`, 'data-schema': schema.name });
    const tables = element('ul', { 'aria-label': `Tables of ${schema.name}` });
    schema.tables.forEach((table, t) => {
      const rows = table.estimatedRows === null ? 'rows unknown (never analyzed)' : `~${formatNumber(table.estimatedRows)} rows`;
      const kind = table.partitionOf ? `partition of ${table.partitionOf}, ` : table.kind && table.kind !== 'table' ? `${table.kind}, ` : '';
      tables.append(element('li', { 'data-name': `${schema.name}.${table.name}`.toLowerCase() },
        element('label', { for: `table-${s}-${t}` },
          element('input', { type: 'checkbox', id: `table-${s}-${t}`, 'data-schema': schema.name, 'data-table': table.name }),
          element('span', { className: 'table-name', text: table.name }),
          element('span', { className: 'stats', text: `${kind}${rows}, ${formatBytes(table.totalBytes)}` }))));
    });
    tree.append(element('li', { 'data-name': schema.name.toLowerCase() },
      element('label', { for: `schema-${s}` },
        schemaBox,
        element('span', { className: 'schema-name', text: schema.name }),
        element('span', { className: 'stats', text: `${schema.tables.length} table(s), ${formatBytes(schema.totalBytes)}` })),
      tables));
  });

  $('browser-status').textContent = `${state.listing.connection} (${state.listing.server}): ${schemas.length} schema(s), ${schemas.reduce((n, s) => n + s.tables.length, 0)} table(s).`;
  applySearch();
  updateScopeSummary();
}

function applySearch() {
  const query = $('search').value.trim().toLowerCase();
  for (const schemaItem of $('tree').children) {
    const schemaMatches = !query || schemaItem.dataset.name.includes(query);
    let anyTable = false;
    for (const tableItem of schemaItem.querySelectorAll('li')) {
      const visible = schemaMatches || tableItem.dataset.name.includes(query);
      tableItem.hidden = !visible;
      anyTable ||= visible;
    }
    schemaItem.hidden = !(schemaMatches || anyTable);
  }
}

function onTreeChange(event) {
  const box = event.target;
  if (box.dataset.schema !== undefined && box.dataset.table === undefined) {
    // A checked schema covers all of its tables.
    for (const tableBox of box.closest('li').querySelectorAll('input[data-table]')) {
      tableBox.checked = box.checked;
      tableBox.disabled = box.checked;
    }
  }
  if (box.checked) {
    document.querySelector('input[name="scope"][value="selection"]').checked = true;
  }
  updateScopeSummary();
}

function selection() {
  const schemas = [...$('tree').querySelectorAll('input[data-schema]:not([data-table]):checked')].map(b => b.dataset.schema);
  const tables = [...$('tree').querySelectorAll('input[data-table]:checked')]
    .filter(b => !schemas.includes(b.dataset.schema))
    .map(b => `${patternName(b.dataset.schema)}.${patternName(b.dataset.table)}`);
  return { schemas, tables };
}

function updateScopeSummary() {
  const scope = document.querySelector('input[name="scope"]:checked').value;
  const { schemas, tables } = selection();
  $('scope-summary').textContent = scope === 'everything'
    ? 'Every schema and table of the source, less what Exclude names.'
    : schemas.length + tables.length === 0
      ? 'Nothing selected yet: check schemas or tables below, or choose Everything.'
      : `Selected: ${[...schemas.map(s => `schema ${s}`), ...tables.map(t => `table ${t}`)].join(', ')}.`;
}

// ---- starting a migration ------------------------------------------------------------------------

const FieldErrors = ['source', 'target', 'mode', 'include', 'exclude', 'parallelism', 'batchSize', 'chunkMegabytes', 'id'];

function clearErrors() {
  for (const field of FieldErrors) {
    $(`${field}-error`).hidden = true;
    $(`${field}-error`).textContent = '';
  }
  for (const invalid of document.querySelectorAll('[aria-invalid="true"]')) {
    invalid.removeAttribute('aria-invalid');
  }
  $('form-error').hidden = true;
  $('form-error').textContent = '';
}

function fieldControl(field) {
  if (field === 'mode') return document.querySelector('input[name="mode"]:checked');
  if (field === 'include') return document.querySelector('input[name="scope"]:checked');
  return $(field);
}

function showProblem(problem) {
  clearErrors();
  const unplaced = [];
  let first = null;
  for (const [field, messages] of Object.entries(problem?.errors ?? {})) {
    const target = $(`${field}-error`);
    if (FieldErrors.includes(field) && target) {
      target.textContent = messages.join('\n');
      target.hidden = false;
      const control = fieldControl(field);
      control?.setAttribute('aria-invalid', 'true');
      first ??= control;
    } else {
      unplaced.push(`${field}: ${messages.join(' ')}`);
    }
  }

  if (unplaced.length > 0 || !first) {
    $('form-error').textContent = [problem?.title, ...(unplaced.length ? unplaced : [problem?.detail])].filter(Boolean).join('\n');
    $('form-error').hidden = false;
  }
  (first ?? $('form-error')).focus?.();
}

function numberField(id) {
  const raw = $(id).value.trim();
  if (raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : raw;
}

function requestFromForm() {
  const scope = document.querySelector('input[name="scope"]:checked').value;
  const { schemas, tables } = selection();
  const request = {
    source: $('source').value,
    target: $('target').value,
    mode: document.querySelector('input[name="mode"]:checked').value,
    include: scope === 'everything' ? [] : [...schemas, ...tables],
    exclude: $('exclude').value.split(/[\n,]/).map(p => p.trim()).filter(p => p),
  };
  for (const field of ['parallelism', 'batchSize', 'chunkMegabytes']) {
    const value = numberField(field);
    if (value !== undefined) request[field] = value;
  }
  const id = $('id').value.trim();
  if (id) request.id = id;
  return { scope, request };
}

async function onStart(event) {
  event.preventDefault();
  clearErrors();
  const { scope, request } = requestFromForm();
  if (scope === 'selection' && request.include.length === 0) {
    showProblem({ errors: { include: ['Nothing is selected: check at least one schema or table in the browser below, or choose Everything.'] } });
    return;
  }

  askForNotifications();
  $('start').disabled = true;
  try {
    const { status, body } = await api('POST', '/api/migrations', request);
    if (status === 202) {
      localStorage.setItem(OptionsKey(body.id), JSON.stringify({ ...request, id: body.id }));
      showBanner(`Migration ${body.id} ${body.resumed ? 'resumed' : 'started'}.`);
      await loadRuns();
      openMigration(body.id);
    } else {
      showProblem(body);
    }
  } finally {
    $('start').disabled = false;
  }
}

// ---- migrations ----------------------------------------------------------------------------------

async function loadRuns() {
  const { ok, body } = await api('GET', '/api/migrations');
  const list = $('run-list');
  if (!ok) {
    $('runs-status').textContent = body?.detail ?? 'The migrations could not be listed.';
    return;
  }

  list.replaceChildren(...body.migrations.map(run => element('li', {},
    element('button', {
      type: 'button',
      'data-id': run.instanceId,
      'aria-current': run.instanceId === state.openedId ? 'true' : 'false',
      onclick: () => openMigration(run.instanceId),
    },
    element('span', { className: 'run-id', text: run.instanceId }),
    element('span', { className: `status-${run.runtimeStatus}`, text: `${run.runtimeStatus}${run.customStatus ? ` · ${run.customStatus.phase}` : ''}` }),
    element('span', { className: 'muted', text: formatTime(run.createdTime) })))));
  $('runs-status').textContent = body.migrations.length === 0
    ? 'No migration yet on this host.'
    : `The newest ${body.migrations.length} (at most ${body.limit}).`;
}

function openMigration(id) {
  if (state.openedId !== id) {
    state.lastStatus = null;
  }
  state.openedId = id;
  history.replaceState(null, '', `#${encodeURIComponent(id)}`);
  for (const button of $('run-list').querySelectorAll('button[data-id]')) {
    button.setAttribute('aria-current', button.dataset.id === id ? 'true' : 'false');
  }
  $('detail').hidden = false;
  $('detail-id').textContent = id;
  poll();
}

async function poll() {
  clearTimeout(state.pollTimer);
  const id = state.openedId;
  const { status, body } = await api('GET', `/api/migrations/${encodeURIComponent(id)}`);
  if (id !== state.openedId) return;
  if (status === 404) {
    $('detail-status').textContent = body?.detail ?? `No migration has the id ${id}.`;
    return;
  }

  const previous = state.lastStatus;
  state.lastStatus = body;
  renderDetail(body);
  const active = ActiveStatuses.includes(body.runtimeStatus);
  if (previous && ActiveStatuses.includes(previous.runtimeStatus) && !active) {
    notifyFinished(body);
    loadRuns();
  }
  if (active) {
    state.pollTimer = setTimeout(poll, PollMilliseconds);
  }
}

function renderDetail(status) {
  const active = ActiveStatuses.includes(status.runtimeStatus);
  const line = $('detail-status');
  line.className = `status-line status-${status.runtimeStatus}`;
  const elapsed = (new Date(status.lastUpdatedTime) - new Date(status.createdTime)) / 1000;
  line.textContent = `${status.runtimeStatus} · started ${formatTime(status.createdTime)} · ${formatSeconds(elapsed)}`;

  renderTimeline(status);
  renderProgress(status);
  renderWork(status);
  renderReplication(status);
  renderErrors(status);
  renderReport(status);
  $('cancel').disabled = !active;
  $('resume').disabled = active || status.runtimeStatus === 'Completed';
}

function renderTimeline(status) {
  const phase = status.customStatus?.phase;
  const phases = status.replication || ['online-start', 'follow', 'cutover'].includes(phase) ? OnlinePhases : Phases;
  const current = phases.indexOf(phase);
  $('timeline').replaceChildren(...phases.map((name, i) => {
    const done = i < current || (status.runtimeStatus === 'Completed');
    const className = done ? 'done' : i === current ? 'current' : '';
    const count = i === current && status.customStatus && status.customStatus.total > 0 && name !== 'completed'
      ? ` ${status.customStatus.done}/${status.customStatus.total}`
      : '';
    return element('li', { className, 'data-phase': name, 'aria-current': i === current ? 'step' : undefined, text: `${PhaseTitles[name]}${count}` });
  }));
}

function renderReplication(status) {
  const replication = status.replication;
  const line = $('replication');
  line.hidden = !replication;
  if (replication) {
    line.textContent = `Following the source: ${formatNumber(replication.changesApplied)} changes applied · ${formatNumber(Math.round(replication.changesPerSecond))}/s`
      + ` · lag ${formatMegabytes(replication.lagBytes)} MB, ${replication.lagSeconds.toFixed(1)} s · slot keeps ${formatMegabytes(replication.retainedWalBytes)} MB of WAL`;
  }
}

function renderProgress(status) {
  const tables = status.tables ?? [];
  const copied = tables.reduce((n, t) => n + t.rowsCopied, 0);
  const estimated = tables.reduce((n, t) => n + Math.max(t.rowsEstimated, t.state === 'copied' ? t.rowsCopied : 0), 0);
  const bytes = tables.reduce((n, t) => n + t.bytesCopied, 0);
  let percent;
  if (status.runtimeStatus === 'Completed') {
    percent = 100;
  } else if (estimated > 0) {
    percent = Math.min(99.9, (100 * copied) / estimated);
  } else if (status.customStatus?.total > 0) {
    percent = (100 * status.customStatus.done) / status.customStatus.total;
  } else {
    percent = 0;
  }

  const overall = $('overall-progress');
  overall.value = Math.round(percent * 10) / 10;
  overall.setAttribute('aria-valuetext', `${overall.value}%`);
  const rate = tables.reduce((n, t) => n + (t.rowsPerSecond ?? 0), 0);
  const eta = tables.reduce((m, t) => Math.max(m, t.etaSeconds ?? 0), 0);
  const resumed = tables.reduce((n, t) => n + (t.rowsResumed ?? 0), 0);
  $('overall-text').textContent = `${overall.value}% · ${formatNumber(copied)} of ~${formatNumber(estimated)} rows · ${formatMegabytes(bytes)} MB`
    + (resumed > 0 ? ` (${formatNumber(resumed)} rows resumed from an earlier run, not in the rate)` : '')
    + (rate > 0 ? ` · ${formatNumber(Math.round(rate))} rows/s · ETA ${formatSeconds(eta)}` : '');

  $('tables').querySelector('tbody').replaceChildren(...tables.map(t => {
    const name = t.displayName;
    const max = Math.max(t.rowsEstimated, t.rowsCopied, 1);
    const bar = element('progress', { max, value: t.state === 'copied' ? max : t.rowsCopied, 'aria-label': `${name} progress` });
    return element('tr', { 'data-table': name },
      element('th', { scope: 'row', text: name }),
      element('td', { text: t.rowsResumed > 0 ? `${t.state} (resumed at ${formatNumber(t.rowsResumed)})` : t.state }),
      element('td', {}, bar),
      element('td', { className: 'num', text: `${formatNumber(t.rowsCopied)} / ~${formatNumber(t.rowsEstimated)}` }),
      element('td', { className: 'num', text: formatMegabytes(t.bytesCopied) }),
      element('td', { className: 'num', text: t.rowsPerSecond === null ? '—' : formatNumber(Math.round(t.rowsPerSecond)) }),
      element('td', { className: 'num', text: formatSeconds(t.etaSeconds) }));
  }));
}

// A running step's table is {schema, name, sql}: sql is how it is written, quoted where needed.
const WorkTitles = {
  Index: w => `building index ${w.name ?? `of ${w.table.sql}`}`,
  ForeignKey: w => `adding foreign key ${w.name ?? `of ${w.table.sql}`}`,
  Analyze: w => `ANALYZE ${w.table.sql}`,
  Verify: w => `verifying ${w.table.sql}`,
  VerifyLargeObjects: w => `verifying large objects ${w.name}`,
};

// Beside the copies: index builds, foreign keys, ANALYZE and verification running now, and the bytes hashed so far.
function renderWork(status) {
  const custom = status.customStatus;
  const parts = [];
  if (custom?.phase === 'verify' && custom.total > 0) {
    parts.push(`Verified ${custom.done} of ${custom.total} tables · ${formatMegabytes(custom.bytesDone)} of ${formatMegabytes(custom.bytesTotal)} MB hashed`);
  }
  const running = ActiveStatuses.includes(status.runtimeStatus) ? (custom?.running ?? []) : [];
  if (running.length > 0) {
    parts.push(`Now: ${running.map(w => (WorkTitles[w.kind] ?? (x => x.table.sql))(w)).join(', ')}`);
  }
  const line = $('work-now');
  line.hidden = parts.length === 0;
  line.textContent = parts.join(' · ');
}

function renderErrors(status) {
  const box = $('errors');
  const errors = status.errors ?? [];
  box.hidden = errors.length === 0 && status.runtimeStatus !== 'Terminated';
  const items = errors.map(e => element('p', { className: 'error', text: e }));
  if (errors.length > 0) {
    items.push(element('p', { className: 'advice', text: 'What to do: fix the cause named above, then press Resume. The migration starts again with the same id and options and continues from its checkpoints; finished work is kept.' }));
  } else if (status.runtimeStatus === 'Terminated') {
    items.push(element('p', { className: 'advice', text: 'Cancelled. Its checkpoints are kept: press Resume to continue where it stopped.' }));
  }
  box.replaceChildren(...items);
}

function renderReport(status) {
  const report = $('report');
  const output = status.output;
  report.hidden = status.runtimeStatus !== 'Completed' || !output;
  if (report.hidden) return;

  const seconds = (new Date(status.lastUpdatedTime) - new Date(status.createdTime)) / 1000;
  $('report-summary').textContent = `${output.tables} table(s), ${formatNumber(output.rowsCopied)} rows, ${formatMegabytes(output.bytesCopied)} MB in ${formatSeconds(seconds)} `
    + `(${seconds.toFixed(1)} s); ${output.tablesVerified} of ${output.tables} verified.`;
  // A table (or the large objects) by kind, schema and name: the shown names are for people, not for matching.
  const key = (kind, schema, name) => JSON.stringify([kind, schema, name]);
  const bytesByTable = new Map((status.tables ?? []).map(t => [key(t.kind, t.schema, t.table), t.bytesCopied]));
  $('report-table').querySelector('tbody').replaceChildren(...(output.verified ?? []).map(v => element('tr', { 'data-table': v.table.sql },
    element('th', { scope: 'row', text: v.table.sql }),
    element('td', { className: 'num', text: `${formatNumber(v.sourceRows)} / ${formatNumber(v.targetRows)}` }),
    element('td', { className: 'num', text: formatMegabytes(bytesByTable.get(key(v.kind, v.table.schema, v.table.name))) }),
    element('td', { className: v.equal ? 'verified' : 'not-verified', text: v.equal ? `verified${v.detail ? ` (${v.detail})` : ''}` : `differs: ${v.detail}` }))));
}

async function onCancel() {
  const id = state.openedId;
  $('cancel').disabled = true;
  $('detail-status').textContent = `Cancelling ${id}… (waits until every copy has stopped)`;
  const { ok, body } = await api('POST', `/api/migrations/${encodeURIComponent(id)}/cancel`);
  if (!ok) {
    showBanner(body?.detail ?? `Cancelling ${id} failed.`, true);
  }
  await poll();
  loadRuns();
}

async function onResume() {
  const id = state.openedId;
  const stored = localStorage.getItem(OptionsKey(id));
  if (!stored) {
    $('errors').hidden = false;
    $('errors').replaceChildren(element('p', {
      text: `This browser did not start ${id}, so it does not know the options it was started with. `
        + `Start it from the form with the same connections, mode, scope and settings, and "${id}" as the migration id: it continues from its checkpoints.`,
    }));
    $('id').value = id;
    return;
  }

  askForNotifications();
  $('resume').disabled = true;
  const { status, body } = await api('POST', '/api/migrations', JSON.parse(stored));
  if (status === 202) {
    showBanner(`Migration ${id} resumed.`);
    state.lastStatus = null;
    await loadRuns();
    openMigration(id);
  } else {
    showBanner(`${body?.title ?? 'Resume failed.'} ${body?.detail ?? ''}`, true);
    $('resume').disabled = false;
  }
}

// ---- start ---------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('start-form').addEventListener('submit', onStart);
  $('source').addEventListener('change', loadSchemas);
  $('reload-schemas').addEventListener('click', loadSchemas);
  $('search').addEventListener('input', applySearch);
  $('tree').addEventListener('change', onTreeChange);
  for (const radio of document.querySelectorAll('input[name="scope"]')) radio.addEventListener('change', updateScopeSummary);
  $('refresh-health').addEventListener('click', loadHealth);
  $('refresh-runs').addEventListener('click', loadRuns);
  $('cancel').addEventListener('click', onCancel);
  $('resume').addEventListener('click', onResume);
  $('banner-close').addEventListener('click', () => { $('banner').hidden = true; });
  updateScopeSummary();
  loadHealth();
  loadRuns().then(() => {
    const opened = decodeURIComponent(location.hash.slice(1));
    if (opened) openMigration(opened);
  });
});
