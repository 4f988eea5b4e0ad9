// The harness every end-to-end test file uses: build Tearsheet, import the invented archive into a
// temp database, serve it and a fixture site on loopback, drive Chromium, run axe and vnu.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  ARCHIVE_SIZE, FIXTURE_PAGES, HANDWRITTEN_ARCHIVE, KNOWN, PARSER_FIXTURES, writeFillerArchive,
} from './fixtures.js';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const REPO = path.resolve(here, '..', '..');
/** Where the tests write screenshots (`/artifacts` is ignored by git; CI keeps it). */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? path.join(REPO, 'artifacts', 'e2e-screenshots');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
/** Timeout for the `before` hook that builds, imports and starts everything. */
export const SETUP_TIMEOUT = 15 * 60_000;
/** Timeout for one test. */
export const TEST_TIMEOUT = 60_000;
export const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1200, height: 800 } };

/** Runs a program to its end; rejects with its output when it fails. */
function run(program, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${program} ${args.join(' ')} exited with ${code}\n${stderr.slice(-4000)}`));
    });
  });
}

/** The environment for Tearsheet: none of the caller's TEARSHEET_* or DATABASE_URL settings. */
function cleanEnv() {
  const env = { ...process.env, RUST_LOG: 'warn' };
  for (const key of Object.keys(env)) {
    if (key.startsWith('TEARSHEET_') || key === 'DATABASE_URL') delete env[key];
  }
  return env;
}

/**
 * Builds the binary with cargo (any CARGO_TARGET_DIR) and returns its path; TEARSHEET_BIN skips
 * the build. `cargo test --no-run` rather than `cargo build`: it is the binary `cargo test` has
 * just built (the same dependency features), so after `cargo test` nothing is compiled again.
 */
export async function buildTearsheet() {
  if (process.env.TEARSHEET_BIN) return process.env.TEARSHEET_BIN;
  const { stdout } = await run(
    'cargo', ['test', '--locked', '--no-run', '--message-format=json'], { cwd: REPO },
  );
  const executable = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line))
    .find((message) => message.reason === 'compiler-artifact' && message.target?.name === 'tearsheet'
      && message.target.kind.includes('bin') && !message.profile.test && message.executable)
    ?.executable;
  if (!executable) throw new Error('cargo build did not report the tearsheet executable');
  return executable;
}

/** Starts `tearsheet serve` on a free loopback port; resolves once it says where it listens. */
async function startTearsheet(binary, databaseUrl) {
  const child = spawn(binary, [
    'serve', '--listen', '127.0.0.1:0', '--database-url', databaseUrl, '--allow-private-addresses',
  ], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log = (log + chunk).slice(-20_000); });
  const base = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`tearsheet serve did not start:\n${log}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/serving on (http:\/\/[^\s]+)/);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tearsheet serve exited with ${code}:\n${log}`));
    });
  });
  return { base, child, log: () => log };
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within 5 s. */
async function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A site on loopback serving FIXTURE_PAGES; counts the requests for each path. */
async function startFixtureSite() {
  const hits = new Map();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://fixture');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const page = FIXTURE_PAGES[url.pathname];
    if (page) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page.html);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    base: `http://127.0.0.1:${port}`,
    hits: (pathname) => hits.get(pathname) ?? 0,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * Everything a test file needs: the invented archive imported into a temp database, Tearsheet
 * serving it, the fixture site, and Chromium. Call `stack.close()` in `after`.
 */
export async function startStack() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tearsheet-e2e-'));
  const stack = { dir, close: async () => {} };
  try {
    const binary = await buildTearsheet();
    const databaseUrl = `sqlite:${path.join(dir, 'e2e.db')}`;
    const generated = path.join(dir, 'archive');
    await writeFillerArchive(generated);
    const imported = await run(binary, [
      'import', '--database-url', databaseUrl, generated, HANDWRITTEN_ARCHIVE, ...PARSER_FIXTURES,
    ], { env: cleanEnv() });
    if (!imported.stdout.includes(`imported ${ARCHIVE_SIZE},`)) {
      throw new Error(`unexpected import result: ${imported.stdout}${imported.stderr}`);
    }
    const server = await startTearsheet(binary, databaseUrl);
    stack.server = server;
    stack.base = server.base;
    stack.site = await startFixtureSite();
    // Playwright gives each launch a fresh temp --user-data-dir (and removes it on close); it
    // refuses one passed in `args`.
    stack.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    await closeStack(stack);
    throw error;
  }
  stack.close = () => closeStack(stack);
  return stack;
}

async function closeStack(stack) {
  await stack.browser?.close().catch(() => {});
  await stack.site?.close().catch(() => {});
  await stopProcess(stack.server?.child);
  await rm(stack.dir, { recursive: true, force: true });
}

/** A new page in a fresh browser context (no cookies, cache or storage from other pages). */
export async function newPage(stack, options = {}) {
  const context = await stack.browser.newContext({ ...DESKTOP, ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  return page;
}

/** Closes a page and its context. */
export async function closePage(page) {
  await page.context().close();
}

/** Goes to a path of Tearsheet and checks the status of the final response. */
export async function visit(stack, page, pathAndQuery, expectedStatus = 200) {
  const response = await page.goto(new URL(pathAndQuery, stack.base).href);
  if (response.status() !== expectedStatus) {
    throw new Error(`GET ${pathAndQuery}: status ${response.status()}, expected ${expectedStatus}`);
  }
  return response;
}

/** The titles of the articles listed on a listing or search page, in order. */
export function listedTitles(page) {
  return page.locator('ol.articles h2 a').allTextContents();
}

/** Clicks something that navigates, and waits until the address bar matches `url`. */
export async function clickAndWait(page, locator, url) {
  await Promise.all([page.waitForURL(url), locator.click()]);
}

/** A permalink's path: `/a/{16 hex}/{slug}`. */
export const PERMALINK = /^\/a\/[0-9a-f]{16}\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core inside the page (evaluated through the DevTools protocol, which the page's
 * Content-Security-Policy does not block) and returns its violations, one line each.
 */
export async function axeViolations(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).join('\n    ')}`);
}

const VNU_JAR = String(require('vnu-jar'));

/**
 * Checks HTML documents with the Nu HTML Checker in one Java run (the JVM is slow to start).
 * `documents` maps a name to the bytes served; returns the messages by name.
 */
export async function checkHtml(documents) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tearsheet-vnu-'));
  try {
    const files = new Map();
    for (const [name, bytes] of Object.entries(documents)) {
      const file = path.join(dir, `${name.replace(/[^a-z0-9-]+/gi, '_')}.html`);
      await writeFile(file, bytes);
      files.set(file, name);
    }
    const { stdout } = await run('java', [
      '-Xss4m', '-jar', VNU_JAR, '--format', 'json', '--stdout', '--exit-zero-always', ...files.keys(),
    ]);
    const messages = Object.fromEntries([...files.values()].map((name) => [name, []]));
    for (const message of JSON.parse(stdout).messages) {
      const name = files.get(decodeURIComponent(new URL(message.url).pathname));
      (messages[name] ??= []).push(message);
    }
    return messages;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Saves a screenshot under SCREENSHOTS. */
export async function screenshot(page, name, options = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), ...options });
}

/** Every article as the JSON API lists it, by title: `{ id, permalink }`. */
export async function articlesByTitle(stack) {
  const byTitle = new Map();
  let query = '';
  for (;;) {
    const response = await fetch(new URL(`/api/articles${query}`, stack.base));
    if (!response.ok) throw new Error(`GET /api/articles${query}: ${response.status}`);
    const list = await response.json();
    for (const article of list.articles) byTitle.set(article.title, article);
    if (!list.older) return byTitle;
    query = `?before=${encodeURIComponent(list.older)}`;
  }
}

/**
 * Every kind of page Tearsheet shows, with how to open it in a browser tab. `open(page)` resolves
 * to the response for the document (its status and bytes).
 */
export async function pageTypes(stack) {
  const articles = await articlesByTitle(stack);
  const permalink = (title) => {
    const article = articles.get(title);
    if (!article) throw new Error(`no article titled ${title}`);
    return article.permalink;
  };
  const first = await (await fetch(stack.base)).text();
  const older = first.match(/<a rel="next" href="([^"]+)"/)?.[1]?.replaceAll('&amp;', '&');
  if (!older) throw new Error('the first listing page has no link to older articles');
  const get = (path, status = 200) => async (page) => visit(stack, page, path, status);
  return [
    { name: 'listing', open: get('/') },
    { name: 'listing-older', open: get(older) },
    { name: 'listing-site', open: get(`/?site=${KNOWN.site}`) },
    { name: 'sites', open: get('/sites') },
    { name: 'article', open: get(permalink(KNOWN.articleTitle)) },
    { name: 'article-already-archived', open: get(`${permalink(KNOWN.articleTitle)}?already=1`) },
    { name: 'article-markdown', open: get(permalink('How the Tide Tables Are Made')) },
    { name: 'article-related', open: get(permalink(KNOWN.relatedTitle)) },
    { name: 'article-cyrillic-cjk', open: get(permalink(KNOWN.cyrillicTitle)) },
    { name: 'article-hostile-title', open: get(permalink('<script>alert(1)</script>')) },
    { name: 'delete', open: get(`/delete/${KNOWN.articleId}`) },
    { name: 'add', open: get('/add') },
    {
      name: 'add-error',
      open: async (page) => {
        await visit(stack, page, '/add');
        await page.getByLabel('Address of the page to archive').fill('not a web address');
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
          page.getByRole('button', { name: 'Archive' }).click(),
        ]);
        await page.waitForLoadState('load');
        return response;
      },
    },
    { name: 'search', open: get(`/search?q=${encodeURIComponent(KNOWN.searchWords)}`) },
    { name: 'search-empty', open: get('/search') },
    { name: 'search-no-match', open: get('/search?q=xylophonic') },
    { name: 'login', open: get('/login') },
    { name: 'logout', open: get('/logout') },
    { name: 'not-found', open: get('/no/such/page', 404) },
  ];
}
