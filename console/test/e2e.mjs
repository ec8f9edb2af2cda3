// The console end to end (ctest: console_e2e): a real `passline serve` on a fresh SQLite file on
// a free loopback port, driven in Debian's headless Chromium by playwright-core (no browser
// download). Signs in as two recruiters and an auditor, uploads the CSV example (first with a
// bad row), decides, opens an additional pass's explanation, checks the compliance and report
// numbers against the API's, checks a recruiter sees nothing of another agency, times a
// 10,000-applicant table, and writes a screenshot of each screen and metrics.json to OUTDIR.
//   node test/e2e.mjs --passline PATH --out OUTDIR [--chromium /usr/bin/chromium]
// Exits 77 (ctest: skipped) when Chromium is not installed; 1 on the first failed check.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const passline = arg('--passline');
const outdir = resolve(arg('--out', 'console-e2e'));
const chromium = arg('--chromium', '/usr/bin/chromium');
if (!passline) {
  console.error('usage: node test/e2e.mjs --passline PATH --out OUTDIR');
  process.exit(2);
}
if (!existsSync(chromium)) {
  console.log(`console e2e: SKIPPED: ${chromium} is not installed (apt-get install chromium; ` +
    'scripts/install-deps.sh installs it)');
  process.exit(77);
}
const { chromium: pw } = await import('playwright-core');

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
  return ok;
}
function must(ok, what) {
  if (!check(ok, what)) throw new Error('stopping at: ' + what);
}

// ---- a database with the registry, tokens and a 10,000-applicant recruitment -----------------

const work = mkdtempSync(join(tmpdir(), 'passline-console-'));
mkdirSync(outdir, { recursive: true });
const db = 'sqlite:' + join(work, 'console.db');
const cli = (...args) => execFileSync(passline, [...args, '--db', db], { encoding: 'utf8' });
cli('db', 'init');
for (const f of ['innovation-city-2018.json', 'innovation-city-2020.json'])
  cli('agency', 'import', join(repo, 'data/agencies', f));
const token = (...a) => cli('token', 'create', ...a).trim().split('\n').pop().trim();
const recruiter = token('--role', 'recruiter', '--agency', 'KHNP');
const otherRecruiter = token('--role', 'recruiter', '--agency', 'KAMCO');
const auditor = token('--role', 'auditor');

const ex = join(repo, 'examples/csv-v2');
const header = JSON.parse(readFileSync(join(ex, 'recruitment.json'), 'utf8'));
const BIG = 10000;
{
  const big = structuredClone(header);
  big.recruitment.id = 'KHNP-2024-BIG';
  const u = big.units[0];
  u.id = 'office-big';
  u.planned = 500;
  u.stages[0].planned = 1200;
  u.stages[1].planned = 500;
  const regions = ['gyeongbuk', 'seoul', '대구광역시', '부산', 'gyeonggi'];
  let a = 'unit,applicant,attr.radwaste_site_resident:bool\n', e = 'unit,applicant,level,region,status,kind,year\n',
    s = 'unit,applicant,stage,score,disqualified\n';
  let x = 7;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 1; i <= BIG; i++) {
    const id = 'B' + String(i).padStart(6, '0');
    a += `office-big,${id},\n`;
    e += `office-big,${id},university,${regions[Math.floor(rnd() * regions.length)]},graduated,,2019\n`;
    s += `office-big,${id},written,${(50 + rnd() * 50).toFixed(1)},\n`;
    s += `office-big,${id},interview,${(60 + rnd() * 40).toFixed(1)},\n`;
  }
  const d = join(work, 'big');
  mkdirSync(d);
  writeFileSync(join(d, 'recruitment.json'), JSON.stringify(big));
  writeFileSync(join(d, 'applicants.csv'), a);
  writeFileSync(join(d, 'education.csv'), e);
  writeFileSync(join(d, 'scores.csv'), s);
  cli('import-csv', join(d, 'recruitment.json'), '--applicants', join(d, 'applicants.csv'),
    '--education', join(d, 'education.csv'), '--scores', join(d, 'scores.csv'));
  cli('decide', '--recruitment', 'KHNP-2024-BIG');
}

// ---- the server ------------------------------------------------------------------------------

const server = spawn(passline, ['serve', '--db', db, '--port', '0', '--access-log', 'off'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise((ok, fail) => {
  let err = '';
  server.stderr.on('data', (b) => {
    err += b;
    const m = /serving API v1 on (http:\/\/[^/\s]+)\//.exec(err);
    if (m) ok(m[1]);
  });
  server.on('exit', (code) => fail(new Error(`passline serve exited ${code}: ${err}`)));
});
console.log(`console e2e: ${base}, work ${work}, screenshots in ${outdir}`);
const apiGet = async (path, tok) => {
  const r = await fetch(base + path, { headers: { Authorization: 'Bearer ' + tok } });
  return r.json();
};

const screenshots = [];
const metrics = {};
let browser, last;
try {
  // Headers of the page and its assets.
  const index = await fetch(base + '/');
  const csp = index.headers.get('content-security-policy') || '';
  check(index.status === 200 && /text\/html/.test(index.headers.get('content-type')), 'GET / serves index.html');
  check(csp.includes("default-src 'self'") && csp.includes("script-src 'self'") && !csp.includes('unsafe'),
    `strict CSP: ${csp}`);
  check(index.headers.get('x-content-type-options') === 'nosniff', 'nosniff');
  const etag = index.headers.get('etag');
  const again = await fetch(base + '/', { headers: { 'If-None-Match': etag } });
  check(again.status === 304, 'If-None-Match gives 304');
  const html = await index.text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const weight = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 } };
  for (const a of assets) {
    const r = await fetch(base + a);
    const body = Buffer.from(await r.arrayBuffer());
    check(r.status === 200 && /immutable/.test(r.headers.get('cache-control')), `${a}: 200, immutable`);
    const kind = a.endsWith('.js') ? 'js' : a.endsWith('.css') ? 'css' : null;
    if (!kind) continue;
    check(r.headers.get('content-type').startsWith(kind === 'js' ? 'text/javascript' : 'text/css'), `${a}: content type`);
    weight[kind].raw += body.length;
    weight[kind].gzip += gzipSync(body, { level: 9 }).length;
  }
  metrics.page_weight_bytes = weight;

  browser = await pw.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox'] });
  const problems = [];
  const open = async (tok, who) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && problems.push(`${who}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`${who}: ${e.message}`));
    await page.goto(base + '/');
    if (tok) {
      await page.getByLabel('접근 토큰').fill(tok);
      await page.getByRole('button', { name: '로그인' }).click();
      await page.getByRole('button', { name: '로그아웃' }).waitFor();
    }
    return page;
  };
  const shot = async (page, name) => {
    last = page;
    const file = join(outdir, name + '.png');
    await page.screenshot({ path: file, fullPage: true });
    screenshots.push(file);
  };

  // Sign-in: a wrong token is refused, in Korean.
  const r = await open(null, 'recruiter');
  await r.getByLabel('접근 토큰').fill('pl_not-a-token');
  await r.getByRole('button', { name: '로그인' }).click();
  await r.getByRole('alert').waitFor();
  check((await r.getByRole('alert').innerText()).includes('invalid_token'), 'a wrong token is refused');
  await shot(r, '01-sign-in');
  await r.getByLabel('접근 토큰').fill(recruiter);
  await r.getByRole('button', { name: '로그인' }).click();
  await r.getByRole('button', { name: '로그아웃' }).waitFor();
  check(await r.evaluate(() => document.cookie === '' && !!sessionStorage.getItem('passline.token')),
    'the token is in sessionStorage, no cookie');
  await shot(r, '02-recruiter-recruitments');

  // Upload with a bad row: every error by file, row and column; nothing stored.
  await r.getByRole('link', { name: '채용 등록' }).click();
  const files = (scores) => [
    { name: 'recruitment.json', mimeType: 'application/json', buffer: readFileSync(join(ex, 'recruitment.json')) },
    { name: 'applicants.csv', mimeType: 'text/csv', buffer: readFileSync(join(ex, 'applicants.csv')) },
    { name: 'education.csv', mimeType: 'text/csv', buffer: readFileSync(join(ex, 'education.csv')) },
    { name: 'scores.csv', mimeType: 'text/csv', buffer: scores },
  ];
  const goodScores = readFileSync(join(ex, 'scores.csv'), 'utf8');
  const lines = goodScores.split('\n');
  lines[2] = lines[2].replace(/,(\d+),(\r?)$/, ',8O,$2'); // row 3, column 4: "8O", not a decimal
  await r.getByLabel('파일').setInputFiles(files(Buffer.from(lines.join('\n'))));
  await r.getByRole('button', { name: '검증 후 등록' }).click();
  const errRow = r.locator('#upload-errors tbody tr').first();
  await errRow.waitFor();
  const cells = await errRow.locator('td').allInnerTexts();
  check(cells[0] === 'scores.csv' && cells[1] === '3' && cells[2] === '4' && cells[4] === 'bad_decimal',
    `the bad row is shown by file, row, column: ${cells.slice(0, 5).join(' | ')}`);
  await shot(r, '03-upload-validation-error');
  const listed = await apiGet('/v1/recruitments', recruiter);
  check(listed.recruitments.every((x) => x.id !== header.recruitment.id), 'the refused upload stored nothing');

  // The good files: stored, decided, results per unit and stage.
  await r.getByLabel('파일').setInputFiles(files(Buffer.from(goodScores)));
  await r.getByRole('button', { name: '검증 후 등록' }).click();
  await r.getByRole('status').filter({ hasText: header.recruitment.id }).waitFor();
  await r.getByRole('link', { name: header.recruitment.id, exact: true }).click();
  await r.getByRole('button', { name: '결정하기' }).click();
  await r.locator('#stage-results').waitFor();
  await r.locator('#applicant-table .vrow').first().waitFor();
  const decision = await apiGet(`/v1/recruitments/${header.recruitment.id}/decisions`, recruiter);
  const stageRows = await r.locator('#stage-results tbody tr').count();
  const expectRows = decision.units.reduce((n, u) => n + u.stages.reduce((m, s) => m + Math.max(1, s.programs.length), 0), 0);
  check(stageRows === expectRows, `the stage table has a row per unit, stage and program (${stageRows})`);
  const firstRow = await r.locator('#stage-results tbody tr').first().locator('th, td').allInnerTexts();
  const s0 = decision.units[0].stages[0], p0 = s0.programs[0];
  check(firstRow[2] === String(s0.planned) && firstRow[3] === String(s0.considered) && firstRow[5] === s0.cut &&
    firstRow[8] === String(p0.target) && firstRow[10] === String(p0.additional),
    `the stage table shows the decision's numbers: ${firstRow.join(' | ')}`);
  check((await r.locator('#state').innerText()) === '결정됨', 'the state is decided');
  await shot(r, '04-recruiter-decided');

  // An additional pass and its explanation, with citations.
  await r.getByLabel('추가합격자만').check();
  await r.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#applicant-table .vrow')];
    return rows.length > 0 && rows.every((x) => x.textContent.includes('추가합격'));
  });
  const additional = decision.units.flatMap((u) => u.applicants)
    .filter((a) => a.stages.some((s) => s.basis === 'additional'));
  const shown = await r.locator('#applicant-table .vrow').count();
  check(shown === additional.length, `only the ${additional.length} additional passes are listed (${shown})`);
  const first = await r.locator('#applicant-table button[data-applicant]').first();
  const who = await first.getAttribute('data-applicant');
  await first.click();
  await r.locator('#explanation ol.lines li').first().waitFor();
  const text = await r.locator('#explanation').innerText();
  check(text.includes(who) && text.includes('추가합격') && (await r.locator('#explanation .citations li').count()) > 0,
    `${who}'s explanation is in Korean, with citations`);
  check(await r.evaluate(() => document.activeElement && document.activeElement.id === 'exp-h'),
    'focus moves to the explanation');
  await shot(r, '05-recruiter-explanation');
  await r.getByRole('button', { name: 'English' }).click();
  await r.locator('#explanation').getByText('Applicant ' + who, { exact: false }).first().waitFor();
  check((await r.locator('#explanation').innerText()).includes('additional'), 'the English switch re-reads the explanation in English');
  await shot(r, '06-recruiter-explanation-en');
  await r.keyboard.press('Escape');
  check((await r.locator('#explanation').count()) === 0, 'Escape closes the explanation');
  await r.getByRole('button', { name: '한국어' }).click();

  // This year's compliance, with the chart against the target.
  await r.getByRole('link', { name: '기관 준수 현황' }).click();
  await r.getByLabel('연도').fill('2024');
  await r.getByRole('button', { name: '보기' }).click();
  await r.locator('#compliance-chart g.bar').first().waitFor();
  const compliance = await apiGet('/v1/agencies/KHNP/compliance?year=2024', recruiter);
  const bars = await r.locator('#compliance-chart g.bar').evaluateAll((gs) => gs.map((g) => [g.dataset.label, g.dataset.share]));
  check(JSON.stringify(bars) === JSON.stringify(compliance.agencies.map((a) => [a.program, a.rate])),
    `the compliance chart shows the API's rates: ${JSON.stringify(bars)}`);
  await shot(r, '07-agency-compliance');

  // Another agency's recruiter sees none of it.
  const o = await open(otherRecruiter, 'other recruiter');
  await o.locator('main').getByText('채용이 없습니다.').waitFor();
  check((await o.locator('main').innerText()).indexOf('KHNP') < 0, "another agency's list shows no KHNP recruitment");
  await o.evaluate((id) => { location.hash = '#/r/' + id; }, header.recruitment.id);
  await o.getByRole('alert').waitFor();
  const denied = await o.getByRole('alert').innerText();
  check(denied.includes('unknown_recruitment') && !/decided|결정됨|KHNP-2024-0/.test(await o.locator('main').innerText()),
    `another agency's recruitment reads as unknown: ${denied.slice(0, 80)}`);
  await shot(o, '08-other-agency-denied');

  // The auditor: the annual report, its chart and table equal the API's report.
  const a = await open(auditor, 'auditor');
  await a.getByRole('link', { name: '연간 보고서' }).click();
  await a.getByLabel('연도').fill('2024');
  await a.getByRole('button', { name: '보기' }).click();
  await a.locator('#report-table tbody tr').first().waitFor();
  const report = await apiGet('/v1/report?year=2024', auditor);
  const tableRows = await a.locator('#report-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  check(JSON.stringify(tableRows.map((x) => [x[0], x[2], x[4], x[5], x[6]])) ===
    JSON.stringify(report.agencies.map((x) => [x.agency, x.program, String(x.obligated_hires), String(x.group_hires), x.rate])),
    `the report table is the API's report (${tableRows.length} rows)`);
  const chart = await a.locator('#report-chart g.bar').evaluateAll((gs) => gs.map((g) => g.dataset.share));
  check(JSON.stringify(chart.slice(0, report.totals.length)) === JSON.stringify(report.totals.map((x) => x.rate)),
    `the report chart's national bars: ${chart.join(', ')}`);
  await a.getByRole('button', { name: '비율 기준 정렬', exact: true }).click();
  const sortedRates = await a.locator('#report-table tbody tr td:nth-child(7)').allInnerTexts();
  check(JSON.stringify(sortedRates) === JSON.stringify([...sortedRates].sort((x, y) => parseFloat(x) - parseFloat(y))),
    'the report sorts by rate');
  await shot(a, '09-auditor-report');

  // 10,000 applicants: time from loading the page to the first rows, in the browser.
  await r.evaluate(() => { location.hash = '#/r/KHNP-2024-BIG'; });
  await r.reload();
  await r.locator('#applicant-table .vrow').first().waitFor();
  await r.waitForFunction(() => performance.getEntriesByName('passline:all-rows').length > 0, null, { timeout: 120000 });
  const timing = await r.evaluate(() => ({
    first_rows_ms: performance.getEntriesByName('passline:first-rows')[0].startTime,
    all_rows_ms: performance.getEntriesByName('passline:all-rows')[0].startTime,
    dom_rows: document.querySelectorAll('#applicant-table .vrow').length,
    status: document.getElementById('rows-status').textContent,
  }));
  check(timing.dom_rows < 100, `the 10,000-row table is virtualised (${timing.dom_rows} rows in the DOM)`);
  check(timing.status.includes('10000') || timing.status.includes('10,000'), `all rows paged in: ${timing.status}`);
  await r.locator('#applicant-table').evaluate((el) => { el.scrollTop = 9990 * 34; });
  await r.locator('#applicant-table .vrow[aria-rowindex="10000"]').waitFor();
  check(true, 'scrolled to row 10,000');
  metrics.ten_thousand = { applicants: BIG, ...timing };
  await shot(r, '10-recruiter-10000-applicants');

  check(problems.length === 0, `no script errors or CSP violations in the pages${problems.length ? ': ' + problems.join('; ') : ''}`);
} catch (e) {
  failures++;
  console.log('FAIL ' + (e.stack || e));
  if (last) {
    await last.screenshot({ path: join(outdir, 'failure.png'), fullPage: true }).catch(() => {});
    console.log(`the page at the failure: ${join(outdir, 'failure.png')}; its text:\n` +
      (await last.locator('body').innerText().catch(() => '')));
  }
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  metrics.screenshots = screenshots;
  writeFileSync(join(outdir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  console.log('metrics: ' + JSON.stringify(metrics));
  rmSync(work, { recursive: true, force: true });
}
console.log(failures ? `console e2e: ${failures} failed` : 'console e2e: all checks passed');
process.exit(failures ? 1 : 0);
