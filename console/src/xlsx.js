// Excel workbooks in the browser, with exceljs (docs/CONSOLE.md). exceljs is about 0.8 MB
// minified, so it is not in the main bundle: the first upload or xlsx download loads it as a
// chunk of its own (import() below; esbuild splits it out), cached for good like every asset.
let loading = null;
export function excel() {
  // The "bare" build: exceljs without its ES5 polyfills (regenerator, core-js); the browsers the
  // console supports have them natively. It evaluates no strings (CSP: no 'unsafe-eval').
  if (!loading) loading = import('exceljs/dist/exceljs.bare.min.js').then((m) => m.default || m);
  return loading;
}

// A number cell's text: the value at Excel's own precision (15 significant digits, what the
// formula bar shows), never passed through arithmetic. 85.1 is stored as 85.099999999999994
// and shown as 85.1; toPrecision(15) is an exactly rounded decimal conversion of the double,
// then trailing zeros go. Display formats ("0.0") are not applied: a score shown rounded in
// its cell is sent as the value the cell holds.
export function numberText(n) {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  let s = n.toPrecision(15);
  if (s.includes('e')) return String(n);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

// A date cell as ISO 8601 text: the calendar date (and time when it has one) the sheet shows.
// exceljs gives dates as UTC instants of the sheet's local wall time.
export function dateText(d) {
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds();
  return h || m || s ? `${day}T${pad(h)}:${pad(m)}:${pad(s)}` : day;
}

// The text of one cell value as exceljs gives it: strings as they are (a score typed as text,
// '85.125, keeps every digit), numbers by numberText, dates by dateText, booleans as
// true/false, rich text joined, hyperlinks by their text, formulas by their cached result.
export function valueText(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return dateText(v);
  if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return valueText(v.result);
  if ('text' in v) return valueText(v.text);
  if ('error' in v) return String(v.error);
  return String(v);
}

// Every worksheet of an .xlsx file: {file, name, header: [texts], rows: [{row, cells}]}, rows
// numbered as in the sheet (1 = the header row), blank rows left out.
export async function readWorkbook(file) {
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await file.arrayBuffer());
  const sheets = [];
  wb.eachSheet((ws) => {
    const rows = [];
    let header = null;
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const cells = [];
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        cells[c - 1] = valueText(cell.value).trim();
      });
      for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
      if (cells.every((x) => x === '')) return;
      if (!header) header = { row: n, cells };
      else rows.push({ row: n, cells });
    });
    sheets.push({ file: file.name, name: ws.name, headerRow: header ? header.row : 1,
      header: header ? header.cells : [], rows });
  });
  return sheets;
}

// Column number (1-based) as the sheet's letters: 1 → A, 27 → AA.
export function columnLetter(n) {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
