// The console's deploy form, package publish and rollback in headless Chromium. Run by
// framework.web.browser.WebBrowser.DeployFromTheFormPublishWithProgressAndRollBack with
// TARSWEB_URL, TARSWEB_USER, TARSWEB_PASSWORD, TARSWEB_SCREENSHOTS, CHROMIUM, and
// PACKAGE (a .tgz of HelloServer), DEPLOY_PORT (a free port for its adapter), against a
// tarsweb whose registry has node1 and a tarspatch.
//
// Controls are found by role and accessible name. Exits 0 when every step held, 1 with
// the failing step on stderr. Every wait is bounded.
'use strict';

const path = require('path');
const { fitsWidth, launch, login, pollUntil, step, timeoutMs } = require('./lib.js');

const url = process.env.TARSWEB_URL;
const shots = process.env.TARSWEB_SCREENSHOTS;
const pkg = process.env.PACKAGE;
const port = process.env.DEPLOY_PORT;
const app = 'TestApp';
const server = 'HelloServer';  // the package's top folder and executable carry this name
const name = `${app}.${server}`;
const node = 'node1';

// The Version cell of node1 in the instances table (after a Refresh).
async function versionOnNode(page) {
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const row = page.getByRole('table', { name }).getByRole('row')
    .filter({ has: page.getByRole('cell', { name: node, exact: true }) });
  return (await row.getByRole('cell').nth(4).textContent()).trim();
}

async function publish(page, comment) {
  await page.getByLabel('Package (.tgz)').setInputFiles(pkg);
  await page.getByLabel('Comment').fill(comment);
  const bar = page.getByRole('progressbar', { name: 'Upload progress' });
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await pollUntil(page, async () => (await bar.getAttribute('aria-valuenow')) === '100', 'the progress bar at 100');
  const status = page.getByRole('status', { name: 'Publish result' });
  await status.filter({ hasText: /taken by every node|not taken|failed|refused|HTTP/ }).waitFor({ timeout: 180000 });
  const text = await status.textContent();
  const match = /^Version (\S+) taken by every node/.exec(text);
  if (!match) throw new Error(`publish answered: ${text} / ${await page.getByRole('list', { name: 'Nodes' }).textContent()}`);
  return match[1];
}

async function main() {
  const browser = await launch();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(timeoutMs);
    step('log in');
    await login(page, url, process.env.TARSWEB_USER || 'admin', process.env.TARSWEB_PASSWORD);

    step('the deploy form refuses what tarsadmin deploy refuses, with its message');
    await page.getByRole('button', { name: 'Deploy a server' }).click();
    const form = page.getByRole('dialog', { name: 'Deploy a server' });
    await form.getByLabel('Application').fill(app);
    await form.getByLabel('Nodes').fill(node);
    await form.getByLabel('Adapter 1 name').fill(`${name}.HelloObjAdapter`);
    await form.getByLabel('Adapter 1 endpoint').fill(`tcp -h 127.0.0.1 -p ${port} -t 60000`);
    await form.getByLabel('Adapter 1 servant').fill(`${name}.HelloObj`);
    await form.getByLabel('Adapter 1 threads').fill('2');
    await form.getByRole('button', { name: 'Deploy', exact: true }).click();
    const result = form.getByRole('status', { name: 'Deploy result' });
    await result.filter({ hasText: "has no key 'server' (it is required)" }).waitFor();
    await result.filter({ hasText: 'nothing was deployed' }).waitFor();
    console.log(`refused: ${(await result.textContent()).split('\n')[0]}`);
    await page.screenshot({ path: path.join(shots, 'deploy-refused.png') });

    step('a valid form deploys it and it appears in the tree');
    await form.getByLabel('Server name').fill(server);
    await form.getByRole('button', { name: 'Deploy', exact: true }).click();
    await result.filter({ hasText: `${name} on ${node}: ` }).waitFor({ timeout: 180000 });
    console.log(`deployed: ${await result.textContent()}`);
    await page.screenshot({ path: path.join(shots, 'deploy.png') });
    await form.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('navigation', { name: 'Services' }).getByRole('button', { name, exact: true }).waitFor();
    await page.getByRole('heading', { name, exact: true }).waitFor();

    step('publish a package with a progress bar; the version column shows it');
    const first = await publish(page, 'first from the console');
    await pollUntil(page, async () => (await versionOnNode(page)) === first, `version ${first} on ${node}`);
    console.log(`published ${first}`);
    await page.getByRole('heading', { name: 'Publish a package' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'publish.png') });

    step('publish it again: a second version');
    await page.waitForTimeout(1100);  // version ids carry the second of the publish
    const second = await publish(page, 'second from the console');
    if (second === first) throw new Error(`the second publish got the same version ${second}`);
    await pollUntil(page, async () => (await versionOnNode(page)) === second, `version ${second} on ${node}`);
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('cell', { name: 'second from the console' }).waitFor();
    console.log(`published ${second}`);

    step('roll back to the first version behind a confirmation');
    await versions.getByRole('button', { name: `Roll back to ${first}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm' });
    await dialog.getByText(`Roll ${name} back to version ${first}`).waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status', { name: 'Publish result' })
      .filter({ hasText: `Rolled back to ${first}: taken by every node` }).waitFor({ timeout: 180000 });
    await pollUntil(page, async () => (await versionOnNode(page)) === first, `version ${first} again on ${node}`);
    console.log(`rolled back to ${first}`);
    await page.getByRole('heading', { name: 'Versions' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'versions.png') });

    step('phone width: publish, versions and the deploy form fit the screen');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Publish a package' }).scrollIntoViewIfNeeded();
    await fitsWidth(page, 'the server page with publish and versions at 390 px');
    await page.getByRole('button', { name: 'Deploy a server' }).click();
    await page.getByRole('dialog', { name: 'Deploy a server' }).waitFor();
    await fitsWidth(page, 'the deploy form at 390 px');
    await page.screenshot({ path: path.join(shots, 'phone-deploy.png') });
    await page.getByRole('dialog', { name: 'Deploy a server' }).getByRole('button', { name: 'Close' }).click();
    console.log('all publish steps passed');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`publish test failed: ${e.stack || e}`);
  process.exit(1);
});
