// The web console in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; never a downloaded browser). Run by framework.web.browser.* with
// TARSWEB_URL, TARSWEB_USER, TARSWEB_PASSWORD, TARSWEB_SCREENSHOTS and CHROMIUM set, against
// a tarsweb whose registry runs TestApp.HelloServer on node1.
//
// Controls are found by role and accessible name. Exits 0 when every step held, 1 with
// the failing step on stderr. Every wait is bounded (the default timeout below).
'use strict';

const { chromium } = require('playwright-core');
const path = require('path');

const url = process.env.TARSWEB_URL;
const user = process.env.TARSWEB_USER || 'admin';
const password = process.env.TARSWEB_PASSWORD;
const shots = process.env.TARSWEB_SCREENSHOTS;
const server = 'TestApp.HelloServer';
const node = 'node1';
const timeoutMs = 30000;

function step(text) { console.log(`step: ${text}`); }

async function instanceRow(page) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: node, exact: true }) });
}

// The present state and pid the instances table shows for node1.
async function presentAndPid(page) {
  const cells = (await instanceRow(page)).getByRole('cell');
  return { present: (await cells.nth(2).textContent()).trim(), pid: Number((await cells.nth(3).textContent()).trim()) };
}

// Clicks Refresh until pred(state) holds; the last state. Bounded by timeoutMs.
async function refreshUntil(page, pred, what) {
  const deadline = Date.now() + timeoutMs;
  let state = null;
  for (let i = 0; i < 300 && Date.now() < deadline; ++i) {
    try { state = await presentAndPid(page); } catch (e) { state = null; }
    if (state && pred(state)) return state;
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.waitForTimeout(300);
  }
  throw new Error(`${what}: last seen ${JSON.stringify(state)}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);

    step('the login form');
    await page.goto(url);
    await page.getByLabel('User').waitFor();
    await page.screenshot({ path: path.join(shots, 'login.png') });

    step('a wrong password is refused with a message');
    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('wrong user or password').waitFor();

    step('log in');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Services' }).waitFor();

    step('the service tree and its search box');
    await page.getByRole('searchbox', { name: 'Search servers' }).fill('hello');
    await page.getByRole('button', { name: server, exact: true }).click();
    await page.getByRole('heading', { name: server }).waitFor();
    const before = await refreshUntil(page, (s) => s.present === 'active' && s.pid > 0, `${server} active`);
    console.log(`${server} active on ${node}, pid ${before.pid}`);
    await page.getByRole('searchbox', { name: 'Search servers' }).fill('');
    await page.screenshot({ path: path.join(shots, 'server.png') });

    step('restart behind a confirmation');
    await page.getByRole('button', { name: `Restart ${server} on ${node}`, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Restart ${server} on ${node}?`).waitFor();
    await page.screenshot({ path: path.join(shots, 'confirm.png') });
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: `restart ${server} on ${node}: done` }).waitFor({ timeout: 180000 });
    const after = await refreshUntil(page, (s) => s.present === 'active' && s.pid > 0 && s.pid !== before.pid,
      'a new pid after the restart');
    console.log(`pid changed from ${before.pid} to ${after.pid}`);

    step('an admin command and its answer');
    await page.getByLabel('Command', { exact: true }).fill('tars.viewstatus');
    await page.getByRole('button', { name: 'Send command' }).click();
    await page.getByRole('status', { name: 'Command answer' }).filter({ hasText: String(after.pid) }).waitFor();
    await page.screenshot({ path: path.join(shots, 'command.png'), fullPage: true });

    step('edit a config file, see the changes, save it and push it');
    await page.getByRole('button', { name: 'Edit hello.conf', exact: true }).click();
    const editor = page.getByLabel('Contents of hello.conf');
    await editor.waitFor();
    const original = await editor.inputValue();
    if (!original.includes('greeting = hello')) throw new Error(`hello.conf reads ${JSON.stringify(original)}`);
    await editor.fill(original.replace('greeting = hello', 'greeting = edited in the console'));
    await page.getByRole('button', { name: 'Show changes' }).click();
    const changes = page.getByRole('region', { name: 'Changes' });
    await changes.getByText('- greeting = hello').waitFor();
    await changes.getByText('+ greeting = edited in the console').waitFor();
    await page.screenshot({ path: path.join(shots, 'config.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByText('+ greeting = edited in the console').waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status', { name: 'Config result' }).filter({ hasText: 'stored hello.conf' }).waitFor();
    await page.getByRole('button', { name: 'Push to servers' }).click();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const pushed = page.getByRole('status', { name: 'Config result' }).filter({ hasText: `${node}: ` });
    await pushed.waitFor();
    const pushText = await pushed.textContent();
    if (!pushText.includes('[succ]') || !pushText.includes('hello.conf written')) throw new Error(`the push answered: ${pushText}`);
    console.log(`pushed: ${pushText}`);

    step("the server's events: its start and the pushed config file");
    const events = page.getByRole('table', { name: 'Events' });
    const eventsDeadline = Date.now() + timeoutMs;
    for (let i = 0; ; ++i) {
      if (await events.getByRole('cell', { name: 'restart', exact: true }).count() > 0 &&
          await events.getByRole('cell', { name: /hello\.conf written/ }).count() > 0) break;
      if (i >= 100 || Date.now() > eventsDeadline) throw new Error(`events: ${await events.textContent()}`);
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      await page.waitForTimeout(500);
    }
    await page.getByRole('heading', { name: 'Events' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'events.png') });

    step('a refusal of the registry comes back as JSON with its message');
    const refusal = await page.evaluate(async (name) => {
      const r = await fetch(`/api/servers/${name}/start`, {
        method: 'POST', credentials: 'same-origin', body: JSON.stringify({ node: 'nosuchnode' }),
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf } });
      return { status: r.status, body: await r.json() };
    }, server);
    if (refusal.status !== 409 || !String(refusal.body.error).includes('nosuchnode')) {
      throw new Error(`start on an unknown node answered ${JSON.stringify(refusal)}`);
    }
    console.log(`refused: ${refusal.body.error}`);

    step('a failed API call shows a message, not a blank page');
    await page.route('**/api/servers/**', (route) => route.fulfill({
      status: 502, contentType: 'application/json', body: '{"error":"registry unreachable (test)"}' }));
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.getByText(`The instances of ${server} could not be loaded: registry unreachable (test)`).waitFor();
    await page.getByText('The events could not be loaded: registry unreachable (test)').waitFor();
    await page.unroute('**/api/servers/**');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.getByRole('button', { name: `Restart ${server} on ${node}`, exact: true }).waitFor();

    step('a tree of 1,000 servers stays usable: search narrows it');
    await page.route('**/api/servers', async (route) => {
      const real = await (await route.fetch()).json();
      for (let i = 0; i < 1000; ++i) {
        real.servers.push({ app: `Bulk${i % 20}`, server: `Server${i}`, node: node, setting: 'active',
          present: 'active', pid: 0, version: '', set: '' });
      }
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(real) });
    });
    await page.reload();
    await page.getByRole('button', { name: 'Bulk7.Server987', exact: true }).waitFor();
    await page.getByRole('searchbox', { name: 'Search servers' }).fill('server987');
    await page.getByRole('button', { name: 'Bulk7.Server987', exact: true }).waitFor();
    if (await page.getByRole('button', { name: 'Bulk7.Server986', exact: true }).count() !== 0) {
      throw new Error('the search did not narrow the tree');
    }
    await page.unroute('**/api/servers');
    await page.getByRole('searchbox', { name: 'Search servers' }).fill('');
    await page.getByRole('button', { name: server, exact: true }).click();
    await page.getByRole('button', { name: `Restart ${server} on ${node}`, exact: true }).waitFor();

    step('phone width');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: `Restart ${server} on ${node}`, exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'phone.png'), fullPage: true });

    step('log out');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    console.log('all steps passed');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`console test failed: ${e.stack || e}`);
  process.exit(1);
});
