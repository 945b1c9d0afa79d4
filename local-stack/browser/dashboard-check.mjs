// Opens the dashboard in Debian's chromium (headless) for DashboardBrowserIT, over a line protocol:
//   argv: <page URL> <screenshot path>
//   out:  VALUES <json of every [data-key] element's text>, READY, then after "ALERT <id>" on stdin
//         SHOWN <id> (the alert's row appeared without a reload), SCREENSHOT <path>, DONE;
//         EXTERNAL <url> for any request to another origin, CONSOLE <text> for page errors,
//         FAILED <why> and exit code 1 on any failure.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [url, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const say = line => process.stdout.write(line + '\n');

if (!existsSync(executablePath)) {
  say('FAILED no chromium at ' + executablePath + ': install it with apt-get install -y --no-install-recommends chromium');
  process.exit(1);
}

const input = createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();

let browser;
try {
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const origin = new URL(url).origin;
  page.on('request', request => {
    if (!request.url().startsWith(origin + '/')) {
      say('EXTERNAL ' + request.url());
    }
  });
  page.on('console', message => {
    if (message.type() === 'error') {
      say('CONSOLE ' + message.text());
    }
  });
  page.on('pageerror', error => say('CONSOLE ' + error.message));
  page.on('response', response => {
    if (response.status() >= 400) {
      say('CONSOLE ' + response.status() + ' for ' + response.url());
    }
  });
  let navigations = 0;
  page.on('framenavigated', frame => {
    if (frame === page.mainFrame()) {
      navigations++;
    }
  });

  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"][data-live="open"]', { timeout: 60000 })
    .catch(async e => {
      const state = await page.evaluate(() =>
        document.body.dataset.ready + ' / ' + document.body.dataset.live + ': ' + document.getElementById('updated').textContent);
      throw new Error('the page did not load its figures and open the alert stream: ' + state + ' (' + e.message + ')');
    });
  const values = await page.evaluate(() => {
    const found = {};
    document.querySelectorAll('[data-key]').forEach(node => { found[node.dataset.key] = node.textContent.trim(); });
    return found;
  });
  say('VALUES ' + JSON.stringify(values));
  say('READY');

  const asked = await lines.next();
  const match = /^ALERT (.+)$/.exec(asked.value || '');
  if (!match) {
    throw new Error('expected "ALERT <id>" on stdin, got ' + JSON.stringify(asked.value));
  }
  const id = match[1];
  const loadsBefore = navigations;
  await page.waitForSelector('tr[data-alert-id="' + id + '"]', { timeout: 30000 });
  if (navigations !== loadsBefore) {
    throw new Error('the page was reloaded while waiting for the alert');
  }
  const first = await page.evaluate(() => document.querySelector('#alert-rows tr')?.dataset.alertId);
  say('SHOWN ' + id + ' first=' + first);
  await page.screenshot({ path: screenshot, fullPage: true });
  say('SCREENSHOT ' + screenshot);
  say('DONE');
} catch (e) {
  say('FAILED ' + String(e.message || e).split('\n')[0]);
  process.exitCode = 1;
} finally {
  if (browser) {
    await browser.close();
  }
  input.close();
}
