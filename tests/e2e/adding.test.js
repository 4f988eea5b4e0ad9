// Adding an article by its address in a real browser: the form, a second submission of the same
// page, a bad address, and the bookmarklet run on a page of the fixture site.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FIXTURE_PAGES } from './fixtures.js';
import {
  PERMALINK, SETUP_TIMEOUT, TEST_TIMEOUT, closePage, newPage, startStack, visit,
} from './support.js';

const STORY = '/stories/gull-rock-relit';
const STORY_TITLE = FIXTURE_PAGES[STORY].title;

/** Fills the add form with `address` and submits it; resolves when the next page has loaded. */
async function submitAddress(page, address, landsOn) {
  await page.getByLabel('Address of the page to archive').fill(address);
  await Promise.all([page.waitForURL(landsOn), page.getByRole('button', { name: 'Archive' }).click()]);
}

describe('adding', { timeout: SETUP_TIMEOUT }, () => {
  let stack;
  before(async () => { stack = await startStack(); }, { timeout: SETUP_TIMEOUT });
  after(async () => { await stack?.close(); });

  test('a submitted address lands on the new article; submitting it again, on the same permalink', { timeout: TEST_TIMEOUT }, async () => {
    const address = `${stack.site.base}${STORY}`;
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/add');
      await submitAddress(page, address, (url) => PERMALINK.test(url.pathname));
      const permalink = new URL(page.url());
      assert.equal(await page.locator('h1').textContent(), STORY_TITLE);
      assert.equal(await page.locator('.notice').count(), 0, 'a new article is not "already archived"');
      assert.equal(stack.site.hits(STORY), 1, 'the page was fetched once');

      await visit(stack, page, '/add');
      await submitAddress(page, address, (url) => PERMALINK.test(url.pathname));
      assert.equal(new URL(page.url()).pathname, permalink.pathname, 'the same permalink');
      await assert.doesNotReject(page.getByRole('status').filter({ hasText: 'Already archived' }).waitFor());
      assert.equal(stack.site.hits(STORY), 1, 'an archived page is not fetched again');
    } finally {
      await closePage(page);
    }
  });

  test('a bad address shows the reason, keeps the input and focuses the field', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/add');
      const bad = 'not a web address';
      await submitAddress(page, bad, (url) => url.pathname === '/add');
      const message = page.getByRole('alert');
      assert.ok((await message.textContent()).trim().length > 10, 'a message says what is wrong');
      const field = page.getByLabel('Address of the page to archive');
      assert.equal(await field.inputValue(), bad, 'the input is kept');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await field.getAttribute('aria-describedby'), await message.getAttribute('id'),
        'the field is described by the message');
      await page.waitForFunction(() => document.activeElement?.id === 'url');
      assert.match(await page.title(), /^Error: /, 'the title says the form has an error');

      const missing = `${stack.site.base}/stories/never-written`;
      await submitAddress(page, missing, (url) => url.pathname === '/add');
      assert.equal(await page.getByLabel('Address of the page to archive').inputValue(), missing);
      assert.ok((await page.getByRole('alert').textContent()).trim().length > 10);
    } finally {
      await closePage(page);
    }
  });

  test('the bookmarklet, run on a page, opens the form filled with its address', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/add');
      const bookmarklet = await page.getByRole('link', { name: 'Archive in Tearsheet' }).getAttribute('href');
      assert.match(bookmarklet, /^javascript:/);

      const story = `${stack.site.base}${STORY}?from=bookmarklet`;
      await page.goto(story);
      // What the browser does when the bookmark is clicked: run its script on the page shown.
      await Promise.all([
        page.waitForURL((url) => url.origin === new URL(stack.base).origin && url.pathname === '/add'),
        // The script navigates away; evaluate may then report its context gone, which is fine.
        page.evaluate(decodeURIComponent(bookmarklet.slice('javascript:'.length)))
          .catch((error) => { if (!/context was destroyed|navigat/i.test(error.message)) throw error; }),
      ]);
      assert.equal(new URL(page.url()).searchParams.get('url'), story);
      assert.equal(await page.getByLabel('Address of the page to archive').inputValue(), story,
        'the form is filled with the page address');
    } finally {
      await closePage(page);
    }
  });
});
