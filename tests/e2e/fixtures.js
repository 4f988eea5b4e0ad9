// Invented content for the end-to-end tests: the archive to import and the pages of the
// fixture site that the add form fetches from. Nothing here is a real article.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

/** Hand-written articles (the newest, shown on the first screen of the listing). */
export const HANDWRITTEN_ARCHIVE = path.join(here, 'fixtures', 'archive');

/** The project's own parser fixtures worth seeing in a browser: links and related articles,
 *  Markdown (lists, code, a table), Cyrillic and CJK text, and a hostile title. */
export const PARSER_FIXTURES = ['standard.txt', 'markdown.txt', 'cyrillic_cjk.txt', 'hostile.txt'].map(
  (name) => path.join(repo, 'tests', 'fixtures', 'archive', name),
);

/** Facts about the hand-written archive that the tests check against. */
export const KNOWN = {
  // Hand-written: 6; generated: FILLER_COUNT; parser fixtures: 4.
  searchWords: 'kelp harvest',
  searchTitle: 'Kelp Farmers of Carrow Bay Bring In a Record Harvest',
  newestTitle: 'Kelp Farmers of Carrow Bay Bring In a Record Harvest',
  articleId: 'e2e2000000000003',
  articleTitle: "A Lighthouse Keeper's Logbooks Go on Display",
  articleAuthor: 'Sorcha Delaney',
  relatedTitle: "Harbor Authority and Rail Union Agree 'Night Freight' Plan in Port Ellis",
  cyrillicTitle: 'Мэрия Заречья открыла новый мост через Оку',
  site: 'valley-courier.example',
  siteArticles: 20, // 2 hand-written + every third generated one
};

const SITES = ['harbourlight.example', 'valley-courier.example', 'northern-review.example'];
const PLACES = ['Port Ellis', 'Carrow Bay', 'Lindhaven', 'Marsh End', 'Oakridge', 'Tullow Cross'];
const SUBJECTS = [
  'Ferry Timetable Changes for the Winter',
  'Primary School Opens a New Science Room',
  'Harbour Wall Repairs Finish Early',
  'Farmers Market Moves to the Old Station',
  'Volunteers Replant the Dune Grass',
  'Cycle Path Extended Along the River',
  'Brass Band Celebrates Its Centenary',
  'Swimming Pool Reopens After Repairs',
  'Community Radio Station Gets a Licence',
];
const WRITERS = ['Ines Marlow', 'Owen Pryce', 'Sorcha Delaney'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

/** Generated articles: enough, with the others, for more than one listing page (50 a page). */
export const FILLER_COUNT = SUBJECTS.length * PLACES.length; // 54

/** The total the import should report. */
export const ARCHIVE_SIZE = 6 + FILLER_COUNT + PARSER_FIXTURES.length;

function fillerArticle(index) {
  const place = PLACES[index % PLACES.length];
  const subject = SUBJECTS[Math.floor(index / PLACES.length)];
  const site = SITES[index % SITES.length];
  const writer = WRITERS[index % WRITERS.length];
  // Older than the hand-written articles: one a week going back from October 2026.
  const date = new Date(Date.UTC(2026, 9, 31 - 7 * index));
  const printed = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
  const slug = `${subject}-${place}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${subject} in ${place}

${printed}

By ${writer}

Residents of ${place} heard this week that the ${subject.toLowerCase()} plan has gone ahead, after months of meetings in the town hall and a public consultation that drew more replies than any before it.

Local people said the change was overdue. "We asked for this for years," one shopkeeper said, "and now we will see whether it works."

The council will publish a report on the first three months in the spring.

Original url:

<https://${site}/${date.getUTCFullYear()}/${slug}>
`;
}

/** Writes the generated articles into `dir` as archive text files. */
export async function writeFillerArchive(dir) {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < FILLER_COUNT; i += 1) {
    const id = `e2e1${i.toString(16).padStart(12, '0')}`;
    const name = `${String(i + 1).padStart(3, '0')}_${id}.txt`;
    await writeFile(path.join(dir, name), fillerArticle(i));
  }
}

/** Pages of the fixture site, by path. The add form fetches them. */
export const FIXTURE_PAGES = {
  '/stories/gull-rock-relit': {
    title: 'Gull Rock Light Shines Again After Restoration',
    html: `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gull Rock Light Shines Again After Restoration | The Harbour Light</title>
<meta name="author" content="Maeve Quinlan">
<meta property="article:published_time" content="2026-11-26T18:00:00+00:00">
<meta property="og:site_name" content="The Harbour Light">
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main>
<article>
<h1>Gull Rock Light Shines Again After Restoration</h1>
<p class="byline">By Maeve Quinlan</p>
<p>The lamp at Gull Rock was lit again on Thursday evening for the first time in eleven years, after a restoration paid for by the people of Lindhaven.</p>
<p>Volunteers carried new glass, brass fittings and a solar battery out to the rock by boat over the summer. The light now runs on its own and is checked once a month.</p>
<p>Crowds gathered on the harbour wall to watch it come on at dusk. Some had brought the logbooks' exhibition leaflet from the town museum.</p>
<p>The light will flash white every ten seconds, as it did when the last keeper left.</p>
</article>
</main>
<footer>The Harbour Light</footer>
</body>
</html>
`,
  },
};
