// The console end to end (ctest: console_e2e): a real `passline serve` on a fresh SQLite file on
// a free loopback port, driven in Debian's headless Chromium by playwright-core (no browser
// download). Signs in as two recruiters and an auditor, uploads the CSV example (first with a
// bad row), decides, opens an additional pass's explanation, checks the compliance and report
// numbers against the API's, checks a recruiter sees nothing of another agency, times a
// 10,000-applicant table, and writes a screenshot of each screen and metrics.json to OUTDIR.
// console-b (functions at the end): src/verify.js in Node against the CLI's receipts, the admin's
// tokens and agency registry, the auditor's log view with proofs, receipts verified in the page.
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

// ---- console-a: Excel upload with a column mapping, CSV and xlsx downloads, the units read -----

// The CSV example as an .xlsx the test builds with exceljs: sheets 지원자 and 학력 with Korean
// headers, Scores with English ones and a score column named so that nothing guesses it (the
// mapping step sets it), numbers as number cells (one not exactly representable), one score as
// text, a blank row, ids that look like formulas and a Korean one. `bad`: a score "8O" at
// Scores!D5 (the row after the blank one).
const XLSX_ID = 'KHNP-2024-XLSX';
const XLSX_IDS = { 'KHNP-2024-001': '김하늘', 'KHNP-2024-002': '=1+2', 'KHNP-2024-003': '@SUM(A1)',
  'KHNP-2024-004': '+82-10', 'KHNP-2024-005': '-5' };
const INEXACT = 88.30000000000001; // shortest text 17 digits; Excel shows (and we send) 88.3
async function exampleWorkbook(ExcelJS, bad) {
  const rows = (f) => readFileSync(join(ex, f), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  const id = (a) => XLSX_IDS[a] || a;
  const wb = new ExcelJS.Workbook();
  const ap = wb.addWorksheet('지원자');
  ap.addRow(['모집단위', '수험번호', 'attr.radwaste_site_resident:bool']);
  for (const [u, a, r] of rows('applicants.csv')) ap.addRow([u, id(a), r === '' ? null : r === 'true']);
  const ed = wb.addWorksheet('학력');
  ed.addRow(['모집단위', '수험번호', '최종학력', '학교소재지', '졸업구분', '학교종류', '졸업연도']);
  for (const [u, a, l, g, st, k, y] of rows('education.csv')) ed.addRow([u, id(a), l, g, st, k || null, y ? Number(y) : null]);
  const sc = wb.addWorksheet('Scores');
  sc.addRow(['Unit', 'Applicant ID', 'Stage', '결과값', 'disqualified']);
  rows('scores.csv').forEach(([u, a, stage, score, dq], i) => {
    let v = score === '' ? null : Number(score);
    if (a === 'KHNP-2024-001' && stage === 'written') v = INEXACT;
    if (a === 'KHNP-2024-002' && stage === 'written') v = '90.125';
    if (bad && i === 2) v = '8O';
    sc.addRow([u, id(a), stage, v, dq || null]);
    if (i === 0) sc.addRow([]); // a blank row 3: rows after it keep their sheet numbers
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// RFC 4180 records of a CSV text.
function parseCsv(text) {
  const out = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') q = false; else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); out.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); out.push(row); }
  return out;
}

async function consoleAExcelUpload({ r, shot, apiGet, recruiter, metrics }) {
  const { default: ExcelJS } = await import('exceljs');
  const head = JSON.parse(readFileSync(join(ex, 'recruitment.json'), 'utf8'));
  head.recruitment.id = XLSX_ID;
  const headFile = { name: 'recruitment.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(head)) };
  const book = (buffer) => ({ name: 'KHNP 채용.xlsx', buffer,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const posted = [];
  // exceljs's chunk, loaded on first use (not in index.html's weight above).
  const chunks = {};
  r.on('response', async (q) => {
    if (!/\/assets\/chunk-[^/]+\.js$/.test(q.url())) return;
    const b = await q.body().catch(() => null);
    if (b) chunks[new URL(q.url()).pathname] = { raw: b.length, gzip: gzipSync(b, { level: 9 }).length };
  });
  metrics.lazy_chunks_bytes = chunks;
  r.on('request', (q) => { if (q.method() === 'POST' && q.url().endsWith('/v1/recruitments')) posted.push(q.postData()); });
  await r.getByRole('link', { name: '채용 등록' }).click();
  const readAndMap = async (buffer) => {
    await r.getByLabel('채용 정보 (recruitment.json)').setInputFiles(headFile);
    await r.getByLabel('엑셀 통합문서 (.xlsx)').setInputFiles(book(buffer));
    await r.getByRole('button', { name: '파일 읽기' }).click();
    await r.locator('#xlsx-mapping').waitFor();
    const kinds = await r.locator('#xlsx-mapping select[id^="kind-"]').evaluateAll((ss) => ss.map((s) => s.value));
    check(JSON.stringify(kinds) === '["applicants","education","scores"]', `each sheet's kind is guessed from its name: ${kinds}`);
    const guessed = await r.locator('#xlsx-mapping select[data-column]').evaluateAll((ss) =>
      ss.map((s) => `${s.id}=${s.value}`).join(' '));
    check(guessed === 'map-0-unit=0 map-0-applicant=1 map-1-unit=0 map-1-applicant=1 map-1-level=2 map-1-region=3 ' +
      'map-1-status=4 map-1-kind=5 map-1-year=6 map-2-unit=0 map-2-applicant=1 map-2-stage=2 map-2-score=-1 ' +
      'map-2-disqualified=4', `columns guessed from Korean and English headers, the score left to map: ${guessed}`);
    await r.getByRole('button', { name: '검증 후 등록' }).last().click();
    await r.locator('.xlsx-upload [role="alert"]').waitFor();
    check((await r.locator('.xlsx-upload [role="alert"]').innerText()).includes('점수'),
      'an unmapped required column is refused before anything is sent');
    await r.locator('#map-2-score').selectOption({ label: 'D: 결과값' });
  };

  // The bad workbook: the server's error shown by sheet, row and column of the workbook.
  await readAndMap(await exampleWorkbook(ExcelJS, true));
  await shot(r, '11-xlsx-mapping');
  await r.locator('#xlsx-submit').click();
  const errRow = r.locator('#xlsx-errors tbody tr').first();
  await errRow.waitFor();
  const cells = await errRow.locator('td').allInnerTexts();
  const allErrors = await r.locator('#xlsx-errors tbody tr').allInnerTexts();
  check(allErrors.length === 1 && cells[0] === 'Scores (KHNP 채용.xlsx)' && cells[1] === '5' && cells[2] === 'D' &&
    cells[3] === 'score' && cells[4] === 'bad_decimal',
  `the bad cell is shown by sheet, row and column: ${allErrors.join(' / ')}`);
  await shot(r, '12-xlsx-validation-error');
  const listed = await apiGet('/v1/recruitments', recruiter);
  check(listed.recruitments.every((x) => x.id !== XLSX_ID), 'the refused workbook stored nothing');

  // The good one: sent as the CSV form, numbers as the text the sheet shows, stored.
  await readAndMap(await exampleWorkbook(ExcelJS, false));
  await r.locator('#xlsx-submit').click();
  await r.getByRole('status').filter({ hasText: XLSX_ID }).waitFor();
  const body = JSON.parse(posted[posted.length - 1]);
  const scores = parseCsv(body.scores);
  const score = (a, stage) => (scores.find((x) => x[1] === a && x[2] === stage) || [])[3];
  check(body.format === 'passline-case-csv/1' && scores[0].join(',') === 'unit,applicant,stage,score,disqualified',
    'the workbook is sent as passline-case-csv/1 with the CSV columns');
  check(score('김하늘', 'written') === '88.3' && score('=1+2', 'written') === '90.125' &&
    score('김하늘', 'interview') === '88' && score('KHNP-2024-015', 'written') === '',
  `scores are sent as the sheet's decimal text (88.30000000000001 → 88.3, text 90.125, empty): ` +
    `${score('김하늘', 'written')}, ${score('=1+2', 'written')}`);
  const edu = parseCsv(body.education);
  check(edu[0].join(',') === 'unit,applicant,level,region,status,kind,year' && edu[2][2] === '대학교' && edu[2][6] === '2018',
    `education: Korean codes and number cells as text: ${edu[2].join(',')}`);
  check(parseCsv(body.applicants)[7][2] === 'true', 'a boolean cell is sent as true');
}

async function consoleAUnitsAndDownloads({ r, shot, apiGet, recruiter, metrics }) {
  const { default: ExcelJS } = await import('exceljs');
  // The 10,000-applicant page was timed just before: when its stage table was there.
  const mark = await r.evaluate(() => (performance.getEntriesByName('passline:stage-table')[0] || {}).startTime);
  if (metrics.ten_thousand && mark !== undefined) metrics.ten_thousand.stage_table_ms = mark;
  const requests = [];
  r.on('request', (q) => requests.push(q.method() + ' ' + new URL(q.url()).pathname + new URL(q.url()).search));
  await r.getByRole('link', { name: XLSX_ID, exact: true }).click();
  await r.getByRole('button', { name: '결정하기' }).click();
  await r.locator('#stage-results').waitFor();
  await r.reload();
  await r.locator('#stage-results tbody tr').first().waitFor();
  await r.locator('#applicant-table .vrow').first().waitFor();
  const path = `/v1/recruitments/${XLSX_ID}`;
  const reads = requests.filter((x) => x.startsWith('GET ' + path + '/'));
  check(reads.includes(`GET ${path}/units`) && !reads.includes(`GET ${path}/decisions`),
    `the stage table comes from the units read, not the whole decision: ${reads.filter((x) => !/page_token/.test(x)).join(', ')}`);
  const units = await apiGet(`${path}/units`, recruiter);
  const whole = await apiGet(`${path}/decisions`, recruiter);
  check(units.format === 'passline-decision-units/1' && JSON.stringify(units.units) ===
    JSON.stringify(whole.units.map(({ applicants, ...u }) => u)), 'the units read is the decision less its applicants');
  const firstRow = await r.locator('#stage-results tbody tr').first().locator('th, td').allInnerTexts();
  const s0 = units.units[0].stages[0], p0 = s0.programs[0];
  check(firstRow[2] === String(s0.planned) && firstRow[3] === String(s0.considered) && firstRow[5] === s0.cut &&
    firstRow[8] === String(p0.target) && firstRow[10] === String(p0.additional),
  `the stage table shows the units read's numbers: ${firstRow.join(' | ')}`);
  const order = whole.units.flatMap((u) => u.applicants.map((a) => [u.id, a.id]));

  // CSV: BOM, CRLF, quoting, the Korean id intact, formula-like ids neutralised.
  const [csvDl] = await Promise.all([r.waitForEvent('download'), r.getByRole('button', { name: 'CSV 내려받기' }).click()]);
  const csv = readFileSync(await csvDl.path());
  await r.locator('#download-status').filter({ hasText: 'csv' }).waitFor();
  check(csvDl.suggestedFilename() === `${XLSX_ID}-decisions.csv`, `CSV file name: ${csvDl.suggestedFilename()}`);
  check(csv[0] === 0xef && csv[1] === 0xbb && csv[2] === 0xbf, 'the CSV starts with the UTF-8 BOM');
  const text = csv.subarray(3).toString('utf8');
  check(/\r\n/.test(text) && !/[^\r]\n/.test(text) && text.endsWith('\r\n'), 'every CSV line ends in CRLF');
  const recs = parseCsv(text);
  check(recs.length === order.length + 1 && recs[0][0] === '모집단위' && recs[0][1] === '지원자',
    `the CSV has a header and a row per applicant (${recs.length - 1})`);
  check(JSON.stringify(recs.slice(1).map((x) => [x[0], x[1].replace(/^'(?=[=+\-@])/, '')])) === JSON.stringify(order),
    'the CSV rows are the decision\'s applicants in its order');
  const ids = recs.slice(1).map((x) => x[1]);
  check(ids.includes('김하늘'), 'a Korean id round-trips through the CSV');
  check(["'=1+2", "'@SUM(A1)", "'+82-10", "'-5"].every((x) => ids.includes(x)) &&
    !ids.some((x) => /^[=+\-@]/.test(x)), 'formula-like cells are neutralised with an apostrophe');
  const kh = recs.find((x) => x[1] === '김하늘');
  const api1 = whole.units[0].applicants.find((a) => a.id === '김하늘');
  check(kh[recs[0].indexOf('written: 결과')] === (api1.stages[0].decision === 'pass' ? '합격' : '불합격'),
    `the CSV's outcomes are the decision's: ${kh.join(' | ')}`);

  // xlsx: opens with exceljs, the same rows, ids as text (never formulas).
  const [xDl] = await Promise.all([r.waitForEvent('download'), r.getByRole('button', { name: '엑셀(xlsx) 내려받기' }).click()]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(await xDl.path()));
  const ws = wb.worksheets[0];
  const xrows = [];
  ws.eachRow((row) => xrows.push(row.values.slice(1)));
  check(xDl.suggestedFilename() === `${XLSX_ID}-decisions.xlsx` && xrows.length === order.length + 1 &&
    xrows[0][0] === '모집단위', `the xlsx opens and has a header and ${xrows.length - 1} rows`);
  check(JSON.stringify(xrows.slice(1).map((x) => [x[0], x[1]])) === JSON.stringify(order),
    'the xlsx rows are the decision\'s applicants, ids verbatim (김하늘, =1+2, …)');
  let formulas = 0;
  ws.eachRow((row) => row.eachCell((c) => { if (c.type === ExcelJS.ValueType.Formula) formulas++; }));
  check(formulas === 0 && xrows.slice(1).every((x) => typeof x[1] === 'string'), 'every xlsx cell is text, none a formula');
  await r.locator('#download-status').filter({ hasText: 'xlsx' }).waitFor();
  await shot(r, '13-downloads');
}
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
  // The applicants' rows arrive page by page after the stage table: wait for a failed one.
  await r.waitForFunction(() => (document.querySelector('#applicant-table') || {}).innerText?.includes('커트라인 미달'),
    null, { timeout: 15000 }).catch(() => {});
  const rowsText = await r.locator('#applicant-table').innerText();
  check(rowsText.includes('커트라인 미달') && !/below_cut|disqualified/.test(rowsText),
    'a failed stage gives its reason in Korean, not its code');
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
  // The heading switches at once; the account itself is fetched again in English.
  await r.waitForFunction(() => (document.querySelector('#explanation') || {}).innerText?.includes('additional'),
    null, { timeout: 15000 }).catch(() => {});
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
  const regionRows = await a.locator('#report-regions tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent)));
  check(JSON.stringify(regionRows.map((x) => [x[1], x[4], x[5], x[6]])) ===
    JSON.stringify(report.regions.map((x) => [x.program, String(x.obligated_hires), String(x.group_hires), x.rate])) &&
    regionRows.every((x) => /[가-힣]/.test(x[0])),
    `the report's regions table is the API's, with the regions' Korean names (${regionRows.map((x) => x[0]).join(', ')})`);
  check(!tableRows.some((x) => /^[a-z_]+$/.test(x[1])), 'the agencies table names regions in Korean, not by code');
  await shot(a, '09-auditor-report');

  // 10,000 applicants: time from loading the page to the first rows, in the browser.
  await r.evaluate(() => { location.hash = '#/r/KHNP-2024-BIG'; });
  await r.reload();
  await r.locator('#stage-results').waitFor({ timeout: 120000 });
  const stageTableSeen = await r.evaluate(() => performance.now()); // as the test sees it
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
  metrics.ten_thousand = { applicants: BIG, ...timing, stage_table_seen_ms: stageTableSeen };
  await shot(r, '10-recruiter-10000-applicants');

  await consoleB({ open, shot }); // the log, receipt verification, admin (functions at the end)
  // console-a: Excel upload with a column mapping; the units read; CSV and xlsx downloads.
  await consoleAExcelUpload({ r, shot, apiGet, recruiter, metrics });
  await consoleAUnitsAndDownloads({ r, shot, apiGet, recruiter, metrics });

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

// ---- console-b: the log, receipts verified in the browser, admin screens --------------------------
// A node-side check of src/verify.js against receipts the C++ CLI wrote and its verdicts on
// tampered ones (the same first error, path and message as `passline audit verify-receipt`),
// then the admin's tokens and agency registry, the auditor's log view, and the receipt page
// (no sign-in), with every network request recorded while it verifies.

function tamper(text, how) {
  const d = JSON.parse(text);
  const flipHex = (h) => (h[0] === '0' ? '1' : '0') + h.slice(1);
  if (how === 'outcome') // a plausible flip: only the hash can tell
    d.entries[1].entry = d.entries[1].entry.replace(/"outcome":"(pass_additional|pass_rank|pass_tie)","program":"[^"]*"|"outcome":"(pass_rank|pass_tie)"/, '"outcome":"fail_below_cut"');
  else if (how === 'outcome-impossible') // no program made this pass: the values are wrong too
    d.entries[1].entry = d.entries[1].entry.replace(/"outcome":"[a-z_]+"(,"program":"[^"]*")?,"stage"/, '"outcome":"pass_additional","program":"no-such-program","stage"');
  else if (how === 'proof') d.entries[0].inclusion_proof[0] = flipHex(d.entries[0].inclusion_proof[0]);
  else if (how === 'opening') // passline-log/3: another score in the opening; only the commitment can tell
    d.opening = d.opening.replace(/"scores":\["(\d)/, (m, digit) => `"scores":["${digit === '9' ? '8' : '9'}`);
  else if (how === 'signature')
    d.checkpoint = d.checkpoint.replace(/(\n\u2014 \S+ )(\S{12})(\S)/, (m, a, b, c) => a + b + (c === 'A' ? 'B' : 'A'));
  else throw new Error(how);
  const out = JSON.stringify(d);
  if (out === JSON.stringify(JSON.parse(text))) throw new Error('tamper ' + how + ' changed nothing');
  return out;
}

async function consoleBVerifyNode({ verifyReceipt, receiptFile, pub, otherPub, applicant }) {
  const text = readFileSync(receiptFile, 'utf8');
  const verifyCli = (file, key) => {
    try {
      return { code: 0, out: execFileSync(passline, ['audit', 'verify-receipt', file, ...(key ? ['--pubkey', key] : ['--trust-receipt-key'])], { encoding: 'utf8' }) };
    } catch (e) {
      return { code: e.status, out: e.stdout };
    }
  };
  const good = await verifyReceipt(text, { pinnedKey: readFileSync(pub, 'utf8') });
  const cliGood = verifyCli(receiptFile, pub);
  // The indented lines are the outcomes, then (passline-log/3) the inputs the opening holds.
  const cliLines = cliGood.out.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
  const cliOutcomes = cliLines.filter((l) => !l.startsWith('the inputs the decision used'));
  const cliInputs = cliLines.find((l) => l.startsWith('the inputs the decision used'));
  check(cliInputs && good.summary.inputs && cliInputs.endsWith(JSON.stringify(good.summary.inputs)),
    `verify.js (node): the opening's inputs are the CLI's: ${JSON.stringify(good.summary.inputs)}`);
  check(good.ok && good.checks.every((c) => c.holds === true) && cliGood.code === 0,
    `verify.js (node): the CLI's receipt for ${applicant} verifies with the log key, every check holds (${good.checks.length})`);
  check(JSON.stringify(good.summary.outcomes.map((o) => `${o.stage}: ${o.outcome}${o.program ? ` (${o.program})` : ''}`)) === JSON.stringify(cliOutcomes),
    `verify.js (node): the outcomes are the CLI's: ${cliOutcomes.join('; ')}`);
  const cases = [
    ['outcome', pub, 'bad_inclusion_proof', 'entries[1].inclusion_proof'],
    ['outcome-impossible', pub, 'bad_inclusion_proof', 'entries[1].inclusion_proof'],
    ['proof', pub, 'bad_inclusion_proof', 'entries[0].inclusion_proof'],
    ['signature', pub, 'bad_signature', 'checkpoint (note)'],
    ['opening', pub, 'bad_opening', 'opening'],
    [null, otherPub, 'key_mismatch', 'verifier_key'],
  ];
  for (const [how, key, code, path] of cases) {
    const t = how ? tamper(text, how) : text;
    const file = join(work, `receipt-${how || 'other-key'}.json`);
    writeFileSync(file, t);
    const v = await verifyReceipt(t, { pinnedKey: readFileSync(key, 'utf8') });
    const cli = verifyCli(file, key);
    const mine = `FAILED: ${v.error ? `${v.error.path}: ${v.error.code}: ${v.error.detail}` : 'nothing'}`;
    check(!v.ok && v.error.code === code && v.error.path === path && cli.code !== 0 && cli.out.trim() === mine,
      `verify.js (node): ${how || 'another key'}: ${mine} (the CLI: ${cli.out.trim()})`);
  }
  const impossible = await verifyReceipt(tamper(text, 'outcome-impossible'), { pinnedKey: readFileSync(pub, 'utf8') });
  check(impossible.checks.some((c) => c.id === 'outcomes' && c.holds === false && c.code === 'bad_outcome'),
    'verify.js (node): an outcome no program made also fails the values check (bad_outcome)');
  const trusted = await verifyReceipt(text, {});
  check(trusted.ok && trusted.summary.trusted_receipt_key && trusted.summary.signer.keyId === readFileSync(pub, 'utf8').split('+')[1] &&
    verifyCli(receiptFile, null).out.includes(`key id ${trusted.summary.signer.keyId}, the key the receipt names`),
    `verify.js (node): without a key, the receipt's own key (signer ${trusted.summary.signer.name}, key id ${trusted.summary.signer.keyId}), as --trust-receipt-key`);
}

async function consoleBAdmin({ open, shot }) {
  const admin = token('--role', 'admin');
  const p = await open(admin, 'admin');
  await p.locator('#tokens tbody tr').first().waitFor();
  const listed = await apiGet('/v1/tokens', admin);
  check((await p.locator('#tokens tbody tr').count()) === listed.tokens.length, `the token list shows the API's ${listed.tokens.length} tokens`);
  await p.getByLabel('역할').selectOption('recruiter');
  await p.getByLabel('기관 코드').fill('KEPCO');
  await p.getByRole('button', { name: '발급', exact: true }).click();
  await p.locator('#new-secret').waitFor();
  const secret = await p.locator('#new-secret').inputValue();
  const id = (await p.locator('#new-token').innerText()).match(/tok_[0-9a-f]{12}/)[0];
  const whoami = async () => (await fetch(base + '/v1/whoami', { headers: { Authorization: 'Bearer ' + secret } }));
  const me = await (await whoami()).json();
  check(secret.startsWith('pl_') && me.role === 'recruiter' && me.agency === 'KEPCO' && me.token === id,
    `a recruiter token for KEPCO is issued, its secret shown once (${id}), and it signs in`);
  check(await p.evaluate(() => document.activeElement && document.activeElement.id === 'new-secret'), 'focus moves to the new secret');
  await shot(p, '24-admin-tokens');
  await p.getByRole('button', { name: `토큰 ${id} 폐기` }).click();
  await p.getByRole('button', { name: `${id} 폐기 확인` }).click();
  await p.locator(`#tokens tr[data-token="${id}"]`).getByText('폐기됨').waitFor();
  const after = await whoami();
  check(after.status === 401 && (await after.json()).code === 'invalid_token', 'the revoked token is refused afterwards (401 invalid_token)');
  check((await p.locator('#new-secret').count()) === 0 && !(await p.content()).includes(secret),
    'the secret is gone from the page at the next action');

  await p.getByRole('link', { name: '기관 등록부' }).click();
  await p.locator('#agencies tbody tr').first().waitFor();
  const agencies = await apiGet('/v1/agencies', admin);
  check((await p.locator('#agencies tbody tr').count()) === agencies.agencies.length, `the registry lists the API's ${agencies.agencies.length} agencies`);
  await p.getByRole('button', { name: '기관 등록', exact: true }).click();
  await p.getByLabel('기관 코드').fill('E2E-JOINT');
  await p.getByLabel('기관명 (한국어)').fill('시험공사');
  await p.getByLabel('지역').selectOption('jeonnam');
  await p.getByLabel('혁신도시 이전·지정 기관').check();
  await p.getByLabel('적용 시작일').fill('2017-12-31'); // before the decree: refused at its field
  await p.getByLabel('공동혁신도시').check();
  await p.getByLabel('근거').fill('혁신도시법 §2, §29-2①');
  await p.getByRole('button', { name: '저장' }).click();
  await p.locator('#agency-form [role="alert"]').waitFor();
  const refused = await p.locator('#agency-form [role="alert"]').innerText();
  const none = await fetch(base + '/v1/agencies/E2E-JOINT', { headers: { Authorization: 'Bearer ' + admin } });
  check(refused.includes('innovation_city.since') && none.status === 404, `a bad date is refused at its field, nothing stored: ${refused.slice(0, 90)}`);
  await p.getByLabel('적용 시작일').fill('2018-01-25');
  await p.getByRole('button', { name: '저장' }).click();
  await p.locator('#agency-done').waitFor();
  const stored = await apiGet('/v1/agencies/E2E-JOINT', admin);
  check(stored.name_ko === '시험공사' && stored.region === 'jeonnam' && stored.innovation_city.joint_city === true &&
    stored.innovation_city.since === '2018-01-25', 'the agency is registered by PUT with the form\'s facts');
  await p.getByRole('button', { name: '기관 E2E-JOINT 보기·수정' }).click();
  check((await p.getByLabel('기관명 (한국어)').inputValue()) === '시험공사', 'viewing an agency fills the form from GET /v1/agencies/{code}');
  await p.getByLabel('기관명 (영어)').fill('Test Corporation');
  await p.getByRole('button', { name: '저장' }).click();
  await p.locator('#agency-done').getByText('저장했습니다').waitFor();
  check((await apiGet('/v1/agencies/E2E-JOINT', admin)).name_en === 'Test Corporation', 'editing it replaces its facts (PUT, 200)');
  const registry = join(work, 'registry.json');
  writeFileSync(registry, JSON.stringify([{ ...stored, code: 'E2E-IMPORT', registered: undefined }]));
  await p.getByLabel('등록부 파일 (JSON 배열)').setInputFiles(registry);
  await p.getByRole('button', { name: '가져오기' }).click();
  await p.locator('#agency-done').getByText('추가 1').waitFor();
  check((await apiGet('/v1/agencies', admin)).agencies.some((a) => a.code === 'E2E-IMPORT'), 'a registry file is imported (added 1)');
  await p.locator('#agencies tr[data-code="E2E-JOINT"]').waitFor();
  await shot(p, '25-admin-agencies');
}

async function consoleBLog({ open, shot, otherVkey }) {
  const cp = await apiGet('/v1/audit/checkpoint', auditor);
  const p = await open(auditor, 'auditor (log)');
  await p.getByRole('link', { name: '감사 로그' }).click();
  await p.locator('#cp-signature').waitFor();
  const field = (f) => p.locator(`#checkpoint [data-field="${f}"]`).innerText();
  check((await field('origin')) === cp.origin && (await field('root')) === cp.root &&
    (await field('tree_size')).replace(/,/g, '') === String(cp.tree_size),
    `the checkpoint shows the API's origin, size and root (${cp.origin}, ${cp.tree_size})`);
  check((await p.locator('#cp-signature').getAttribute('data-holds')) === 'true', 'its Ed25519 signature verifies in the browser');
  await p.getByLabel('공개된 로그 키로 확인').fill(otherVkey);
  await p.getByRole('button', { name: '검증' }).click();
  await p.locator('#cp-pinned').waitFor();
  check((await p.locator('#cp-pinned').getAttribute('data-holds')) === 'false' && (await p.locator('#cp-pinned').innerText()).includes('bad_signature'),
    'checked against another key of the same name, it fails (bad_signature)');
  await p.getByLabel('공개된 로그 키로 확인').fill(cp.verifier_key);
  await p.getByRole('button', { name: '검증' }).click();
  await p.locator('#cp-pinned[data-holds="true"]').waitFor();
  check(true, 'checked against the log key, it holds');

  const id = header.recruitment.id;
  await p.getByLabel('채용의 항목').selectOption(id);
  await p.getByRole('button', { name: '보기' }).first().click();
  await p.locator('#log-entries tbody tr').first().waitFor();
  const dec = await apiGet(`/v1/recruitments/${id}`, auditor);
  const rows = await p.locator('#log-entries tbody tr').count();
  const firstIndex = Number(await p.locator('#log-entries tbody tr').first().getAttribute('data-index'));
  const entries = (await (await fetch(`${base}/v1/audit/entries?start=${firstIndex}&end=${firstIndex + rows}`,
    { headers: { Authorization: 'Bearer ' + auditor } })).text()).trim().split('\n').map((l) => JSON.parse(l));
  check(rows === Math.min(50, 1 + dec.applicants) && entries[0].type === 'recruitment' && entries[0].recruitment === id &&
    entries.slice(1).every((e) => e.type === 'applicant' && e.recruitment === id),
    `${id}'s entries: its header at ${firstIndex} and its ${rows - 1} applicants, as GET /v1/audit/entries gives them`);
  const k = 3;
  await p.getByRole('button', { name: `${firstIndex + k}번 항목의 포함·일관성 증명 보기` }).click();
  await p.locator('#consistency-verdict').waitFor();
  const inc = await apiGet(`/v1/audit/proofs/inclusion?index=${firstIndex + k}&tree_size=${cp.tree_size}`, auditor);
  const shown = await p.locator('#inclusion-proof li').allInnerTexts();
  check(JSON.stringify(shown) === JSON.stringify(inc.proof) && (await p.locator('#leaf-computed').innerText()) === inc.leaf_hash,
    `entry ${firstIndex + k}: its inclusion proof (${inc.proof.length} hashes) and the leaf hash computed in the browser equal the API's`);
  check((await p.locator('#inclusion-verdict').getAttribute('data-holds')) === 'true' &&
    (await p.locator('#consistency-verdict').getAttribute('data-holds')) === 'true' &&
    (await p.locator('#second-root-match').getAttribute('data-holds')) === 'true',
    'the inclusion proof reaches the signed root and the consistency proof holds, both checked in the browser');
  check(await p.evaluate(() => document.activeElement && document.activeElement.id === 'proof-h'), 'focus moves to the proofs');
  await shot(p, '21-log-checkpoint');
}

async function consoleBReceipt({ open, shot, receipt, pub, otherVkey }) {
  const p = await open(null, 'anyone (receipt)');
  await p.getByRole('link', { name: '영수증 검증' }).click();
  await p.getByLabel('영수증 파일').waitFor();
  const requests = [];
  p.on('request', (r) => requests.push(r.method() + ' ' + r.url()));
  const verdict = async (name, text, key) => {
    await p.getByLabel('로그 공개키 (검증 키)').fill(key);
    await p.evaluate(() => performance.clearMarks('passline:receipt-verified'));
    await p.getByLabel('영수증 파일').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await p.waitForFunction(() => performance.getEntriesByName('passline:receipt-verified').length > 0);
    await p.locator('#receipt-checks').waitFor();
    return p.locator('#receipt-checks tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      id: tr.dataset.check, holds: tr.dataset.holds, code: tr.dataset.code, of: tr.children[2].textContent })));
  };
  const rows = await verdict('receipt.json', receipt, pub);
  check(rows.length >= 11 && rows.every((r) => r.holds === 'true') && (await p.locator('#verdict').innerText()).includes('검증됨'),
    `the receipt verifies in the browser with the log key: ${rows.length} checks hold`);
  const outcomes = await p.locator('#receipt-outcomes li').allInnerTexts();
  check(outcomes.length > 0 && outcomes.some((o) => o.includes('pass_additional')), `its outcomes are shown: ${outcomes.join('; ')}`);
  const inputs = await p.locator('#receipt-inputs').innerText();
  check(JSON.parse(receipt).opening && inputs.includes(JSON.parse(JSON.parse(receipt).opening).inputs.applicant) && inputs.includes('scores'),
    `a passline-log/3 receipt shows the inputs its opening commits to: ${inputs.replace(/\s+/g, ' ').slice(0, 120)}`);
  await shot(p, '22-receipt-verified');
  const failing = async (how, text, key, id, code, of) => {
    const r = await verdict(`receipt-${how}.json`, text, key);
    const first = r.find((x) => x.holds === 'false');
    const ok = !(await p.locator('#verdict').innerText()).includes('검증됨:') && first && first.id === id && first.code === code &&
      (of === undefined || first.of.startsWith(of));
    check(ok, `${how}: fails at the check "${first && first.id}" ${first && first.of} (${first && first.code})`);
    return r;
  };
  await failing('outcome', tamper(receipt, 'outcome'), pub, 'inclusion', 'bad_inclusion_proof', 'entries[1]');
  const imp = await failing('outcome-impossible', tamper(receipt, 'outcome-impossible'), pub, 'inclusion', 'bad_inclusion_proof', 'entries[1]');
  check(imp.some((x) => x.id === 'outcomes' && x.holds === 'false' && x.code === 'bad_outcome'), 'an outcome no program made fails the values check too (bad_outcome)');
  await failing('proof', tamper(receipt, 'proof'), pub, 'inclusion', 'bad_inclusion_proof', 'entries[0]');
  await failing('signature', tamper(receipt, 'signature'), pub, 'signature', 'bad_signature');
  await failing('opening', tamper(receipt, 'opening'), pub, 'opening', 'bad_opening');
  await shot(p, '23-receipt-tampered');
  await failing('other key', receipt, otherVkey, 'key', 'key_mismatch');
  await shot(p, '26-receipt-other-key');
  const noKey = await verdict('receipt.json', receipt, '');
  const warning = await p.locator('#trust-warning').innerText();
  check(noKey.every((r) => r.holds === 'true') && warning.includes(pub.split('+')[0]) && warning.includes(pub.split('+')[1]),
    `without a key only the receipt's own key is used, and the signer is shown: ${warning}`);
  await shot(p, '27-receipt-own-key');
  // The drop zone itself: a file dropped on it is read and verified.
  await p.getByLabel('로그 공개키 (검증 키)').fill(pub);
  await p.evaluate(() => performance.clearMarks('passline:receipt-verified'));
  const dt = await p.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'dropped-receipt.json', { type: 'application/json' }));
    return d;
  }, receipt);
  await p.locator('#receipt-drop').dispatchEvent('drop', { dataTransfer: dt });
  await p.waitForFunction(() => performance.getEntriesByName('passline:receipt-verified').length > 0);
  check((await p.locator('main').innerText()).includes('dropped-receipt.json') && (await p.locator('#verdict').innerText()).includes('검증됨'),
    'a receipt dropped on the page verifies');
  check(requests.length === 0, `no network request while verifying ${requests.length ? ': ' + requests.join(', ') : '(none recorded)'}`);
  await p.getByRole('button', { name: 'English' }).click();
  await p.locator('#receipt-checks caption').getByText('Checks').waitFor();
  check((await p.locator('#verdict').innerText()).includes('Verified') &&
    (await p.locator('#receipt-checks tbody tr').first().innerText()).includes('holds'), 'the receipt page reads in English too');
  await p.getByRole('button', { name: '한국어' }).click();
  await p.evaluate(() => fetch('/v1/openapi.json').then((r) => r.text()));
  check(requests.length === 1, `the recorder itself sees a request the page does make (${requests.join(', ')})`);
}

async function consoleB({ open, shot }) {
  const { verifyReceipt } = await import('../src/verify.js');
  const key = join(work, 'log.key'), other = join(work, 'other.key');
  for (const k of [key, other]) execFileSync(passline, ['keys', 'init', '--key', k, '--name', 'console-e2e.example/passline']);
  cli('audit', 'checkpoint', '--key', key); // covers everything decided so far, the browser's decision too
  const pub = readFileSync(key + '.pub', 'utf8').trim(), otherVkey = readFileSync(other + '.pub', 'utf8').trim();
  const id = header.recruitment.id;
  const decision = await apiGet(`/v1/recruitments/${id}/decisions`, auditor);
  const applicant = decision.units.flatMap((u) => u.applicants).find((a) => a.stages.some((s) => s.basis === 'additional')).id;
  const receiptFile = join(work, 'receipt.json');
  cli('audit', 'receipt', '--recruitment', id, '--applicant', applicant, '--out', receiptFile);
  await consoleBVerifyNode({ verifyReceipt, receiptFile, pub: key + '.pub', otherPub: other + '.pub', applicant });
  const served = await (await fetch(`${base}/v1/recruitments/${id}/applicants/${applicant}/receipt`,
    { headers: { Authorization: 'Bearer ' + auditor } })).text();
  check(served === readFileSync(receiptFile, 'utf8').trim() || served === readFileSync(receiptFile, 'utf8'),
    'the API serves the receipt the CLI wrote, byte for byte');
  await consoleBAdmin({ open, shot });
  await consoleBLog({ open, shot, otherVkey });
  await consoleBReceipt({ open, shot, receipt: served, pub, otherVkey });
}
