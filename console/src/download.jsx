// Downloads of a decided recruitment's decisions (docs/CONSOLE.md): CSV (UTF-8 with a BOM, CRLF,
// RFC 4180 quoting, formula-like cells neutralised) and xlsx (built by exceljs in the browser).
// Both read the applicants in keyset pages of 1,000 from the API and turn each page into rows at
// once: no page is kept, nothing is built twice, so 100,000 applicants take 100 requests.
import { useState } from 'preact/hooks';
import { api, enc } from './api.js';
import { excel } from './xlsx.js';

const PAGE = 1000;

// The table's columns: unit, applicant, one per program (in the group or not), then per stage
// its result and its basis or reason. `units` is the units read (…/units): its programs and
// every unit's stage names, in order.
export function columns(t, units) {
  const programs = (units.programs || []).map((p) => p.program);
  const stages = [];
  for (const u of units.units) for (const s of u.stages) if (!stages.includes(s.name)) stages.push(s.name);
  const head = [t.unit, t.applicantId, ...programs.map((p) => `${t.local}: ${p}`)];
  for (const s of stages) head.push(`${s}: ${t.outcome}`, `${s}: ${t.outcomeWhy}`);
  return { programs, stages, head };
}

// One applicant of a decisions page as the row's texts.
export function row(t, cols, a) {
  const out = [a.unit, a.id, ...cols.programs.map((p) => (a.local && a.local[p] ? t.yes : t.no))];
  const by = {};
  for (const s of a.stages) by[s.stage] = s;
  for (const name of cols.stages) {
    const s = by[name];
    if (!s) out.push('', '');
    else if (s.decision === 'pass') out.push(t.pass, (t.basis[s.basis] || s.basis) + (s.program ? ` (${s.program})` : ''));
    else out.push(t.fail, t.reasons[s.reason] || s.reason || '');
  }
  return out;
}

// A spreadsheet opening the CSV would read a cell starting with = + - @ (or a tab or CR, which
// some strip first) as a formula (CWE-1236): such a cell gets a leading apostrophe, shown as text.
export const neutralise = (s) => (/^[=+\-@\t\r]/.test(s) ? "'" + s : s);
// RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
export const csvField = (s) => {
  const v = neutralise(String(s));
  return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
};
export const csvLine = (cells) => cells.map(csvField).join(',') + '\r\n';

// Calls `each(page.applicants)` for every page of the decisions, in order.
async function pages(id, each) {
  let token = null;
  do {
    const q = new URLSearchParams({ page_size: String(PAGE) });
    if (token) q.set('page_token', token);
    const page = await api(`/v1/recruitments/${enc(id)}/decisions?${q}`);
    each(page.applicants);
    token = page.next_page_token;
  } while (token);
}

async function buildCsv(t, id, units, progress) {
  const cols = columns(t, units);
  const parts = ['\uFEFF' + csvLine(cols.head)];
  let n = 0;
  await pages(id, (list) => {
    let chunk = '';
    for (const a of list) chunk += csvLine(row(t, cols, a));
    parts.push(chunk);
    progress((n += list.length));
  });
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

async function buildXlsx(t, id, units, progress) {
  const ExcelJS = await excel();
  const cols = columns(t, units);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'passline';
  const ws = wb.addWorksheet(t.decisionsSheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(cols.head).font = { bold: true };
  let n = 0;
  // Every cell is written as text (a shared string): an id such as "=1+2" stays the text it is
  // and is never a formula, so xlsx cells need no apostrophe.
  await pages(id, (list) => {
    for (const a of list) ws.addRow(row(t, cols, a));
    progress((n += list.length));
  });
  ws.columns.forEach((c, i) => { c.width = i < 2 ? 18 : 14; });
  const buf = await wb.xlsx.writeBuffer();
  return new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export function Downloads({ t, id, units, total }) {
  const [busy, setBusy] = useState(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState(null);
  const run = async (kind) => {
    setBusy(kind);
    setError(null);
    setStatus(t.downloading(0, total));
    try {
      const build = kind === 'csv' ? buildCsv : buildXlsx;
      const blob = await build(t, id, units, (n) => setStatus(t.downloading(n, total)));
      save(blob, `${id}-decisions.${kind}`);
      setStatus(t.downloaded(`${id}-decisions.${kind}`));
    } catch (e) {
      setError(e);
      setStatus('');
    } finally {
      setBusy(null);
    }
  };
  return (
    <div class="toolbar downloads" role="group" aria-labelledby="dl-label">
      <span id="dl-label">{t.download}</span>
      <button type="button" id="download-csv" disabled={!!busy} onClick={() => run('csv')}>{t.downloadCsv}</button>
      <button type="button" id="download-xlsx" disabled={!!busy} onClick={() => run('xlsx')}>{t.downloadXlsx}</button>
      <span role="status" id="download-status">{status}</span>
      {error ? <span class="problem" role="alert">{t.error} {String(error.message || error)}</span> : null}
    </div>
  );
}
