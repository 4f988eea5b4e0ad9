// Reading flows in a real browser: the listing and its pages, the site filter, permalinks and
// their canonical addresses, and search from the header box.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ARCHIVE_SIZE, KNOWN } from './fixtures.js';
import {
  PERMALINK, SETUP_TIMEOUT, TEST_TIMEOUT, clickAndWait, closePage, listedTitles, newPage,
  startStack, visit,
} from './support.js';

describe('reading', { timeout: SETUP_TIMEOUT }, () => {
  let stack;
  before(async () => { stack = await startStack(); }, { timeout: SETUP_TIMEOUT });
  after(async () => { await stack?.close(); });

  test('the listing pages through every imported article', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/');
      const first = await listedTitles(page);
      assert.equal(first.length, 50, 'the first page holds a full page of articles');
      assert.equal(first[0], KNOWN.newestTitle, 'newest first');

      await clickAndWait(page, page.locator('nav.pager a[rel="next"]'), /\/\?.*before=/);
      const second = await listedTitles(page);
      assert.equal(second.length, ARCHIVE_SIZE - 50, 'the second page holds the rest');
      assert.equal(await page.locator('nav.pager a[rel="next"]').count(), 0, 'no page after the last');
      const all = new Set([...first, ...second]);
      assert.equal(all.size, ARCHIVE_SIZE, 'no article is listed twice or left out');

      await clickAndWait(page, page.locator('nav.pager a[rel="prev"]'), (url) => url.pathname === '/');
      assert.deepEqual(await listedTitles(page), first, 'Newer goes back to the same first page');
    } finally {
      await closePage(page);
    }
  });

  test('a site link filters the listing to that site', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/');
      const siteLink = page.locator('ol.articles .meta a', { hasText: KNOWN.site }).first();
      await clickAndWait(page, siteLink, (url) => url.searchParams.get('site') === KNOWN.site);
      const sites = await page.locator('ol.articles .meta a').allTextContents();
      assert.equal(sites.length, KNOWN.siteArticles, `every article of ${KNOWN.site}, on one page`);
      assert.ok(sites.every((site) => site === KNOWN.site), `only ${KNOWN.site}: ${sites}`);
      assert.match(await page.locator('h1').textContent(), new RegExp(KNOWN.site.replace('.', '\\.')));
    } finally {
      await closePage(page);
    }
  });

  test('an article has a permalink that opens the same article in a fresh browser', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/');
      const link = page.locator('ol.articles h2 a', { hasText: KNOWN.articleTitle });
      await clickAndWait(page, link, (url) => PERMALINK.test(url.pathname));
      const permalink = page.url();
      assert.equal(await page.locator('h1').textContent(), KNOWN.articleTitle);
      assert.equal(await page.locator('.reading header').getByText(KNOWN.articleAuthor).count(), 1,
        'the byline is shown once');
      const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
      assert.equal(new URL(canonical, permalink).href, permalink, 'rel=canonical names the address bar');

      const fresh = await newPage(stack);
      try {
        const response = await fresh.goto(permalink);
        assert.equal(response.status(), 200);
        assert.equal(fresh.url(), permalink, 'no redirect away from a permalink');
        assert.equal(await fresh.locator('h1').textContent(), KNOWN.articleTitle);
      } finally {
        await closePage(fresh);
      }
    } finally {
      await closePage(page);
    }
  });

  test('an address without the slug, or with a wrong one, ends on the canonical one', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/');
      await clickAndWait(page, page.locator('ol.articles h2 a', { hasText: KNOWN.articleTitle }),
        (url) => PERMALINK.test(url.pathname));
      const permalink = page.url();
      for (const wrong of [`/a/${KNOWN.articleId}`, `/a/${KNOWN.articleId}/not-the-slug`]) {
        const response = await visit(stack, page, wrong);
        assert.equal(page.url(), permalink, `${wrong} ends on the permalink`);
        const redirect = await response.request().redirectedFrom()?.response();
        assert.equal(redirect?.status(), 308, `${wrong} answers 308`);
        assert.equal(await page.locator('h1').textContent(), KNOWN.articleTitle);
      }
    } finally {
      await closePage(page);
    }
  });

  test('the header search box finds an article', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/');
      await page.getByRole('searchbox', { name: 'Search the archive' }).fill(KNOWN.searchWords);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === KNOWN.searchWords),
        page.getByRole('searchbox', { name: 'Search the archive' }).press('Enter'),
      ]);
      assert.equal(await page.getByRole('searchbox', { name: 'Search the archive' }).inputValue(),
        KNOWN.searchWords, 'the box keeps the query');
      const hits = await listedTitles(page);
      assert.equal(hits[0], KNOWN.searchTitle, `best match first: ${hits}`);
      assert.ok(await page.locator('ol.articles mark').count() > 0, 'matched words are marked');
      await clickAndWait(page, page.locator('ol.articles h2 a').first(), (url) => PERMALINK.test(url.pathname));
      assert.equal(await page.locator('h1').textContent(), KNOWN.searchTitle);
    } finally {
      await closePage(page);
    }
  });

  test('an unknown address shows the error page with a way back', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/no/such/page', 404);
      await visit(stack, page, '/a/0000000000000000/missing', 404);
      await clickAndWait(page, page.getByRole('link', { name: 'Browse the archive' }), (url) => url.pathname === '/');
    } finally {
      await closePage(page);
    }
  });
});
