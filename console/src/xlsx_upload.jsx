// Upload from Excel (docs/CONSOLE.md): the recruitment header (recruitment.json) and .xlsx
// workbooks, read in the browser. Each sheet is assigned a kind (applicants, education,
// scores: guessed from its name and headers) and each column the CSV form needs is mapped to
// one of the sheet's header cells (guessed from Korean and English names); the page then sends
// the same `passline-case-csv/1` body as the CSV upload, so the server validates everything
// before it stores anything, and shows every error by sheet, row and column of the workbook.
import { useState } from 'preact/hooks';
import { api, enc, ApiError } from './api.js';
import { readWorkbook, columnLetter } from './xlsx.js';
import { problemErrors } from './problem.jsx';

// The CSV form's columns per kind (docs/STORAGE.md), required first. Applicants' `attr.NAME:TYPE`
// headers are passed through as they are.
export const KINDS = {
  applicants: { file: 'applicants.csv', columns: [['unit', true], ['applicant', true]] },
  education: {
    file: 'education.csv',
    columns: [['unit', true], ['applicant', true], ['level', true], ['region', true], ['status', true],
      ['kind', false], ['year', false]],
  },
  scores: {
    file: 'scores.csv',
    columns: [['unit', true], ['applicant', true], ['stage', true], ['score', true], ['disqualified', false]],
  },
};

// Header names each column is guessed from (compared without case, spaces, _ - . or brackets).
const NAMES = {
  unit: ['unit', 'unitid', '모집단위', '채용단위', '모집분야', '단위'],
  applicant: ['applicant', 'applicantid', '지원자', '지원자번호', '수험번호', '응시번호', '접수번호', '지원자id'],
  level: ['level', '학력', '최종학력', '학교급', '학력구분'],
  region: ['region', '지역', '학교소재지', '소재지', '학교지역'],
  status: ['status', '상태', '졸업구분', '졸업여부', '학적상태', '학적'],
  kind: ['kind', '학교종류', '학교유형', '학교구분', '종류'],
  year: ['year', '졸업연도', '졸업년도', '연도', '년도'],
  stage: ['stage', '전형단계', '평가단계', '단계', '전형'],
  score: ['score', '점수', '성적', '득점', '평가점수'],
  disqualified: ['disqualified', '결격', '결격여부', '실격', '부적격'],
};
const SHEETS = {
  applicants: ['applicants', 'applicant', '지원자', '지원자명단', '지원자목록'],
  education: ['education', '학력', '학력사항'],
  scores: ['scores', 'score', '점수', '성적', '평가점수'],
};

const norm = (s) => String(s).toLowerCase().replace(/[\s_\-.()[\]（）]/g, '');

// The header index for `column`, or -1: an exact name first, then a header containing one.
export function guessColumn(header, column) {
  const names = NAMES[column].map(norm);
  const h = header.map(norm);
  let i = h.findIndex((x) => names.includes(x));
  if (i < 0) i = h.findIndex((x) => x && names.some((n) => n.length > 1 && x.includes(n)));
  return i;
}

export function guessKind(sheet) {
  for (const text of [sheet.name, sheet.file.replace(/\.xlsx$/i, '')]) {
    const n = norm(text);
    for (const [kind, names] of Object.entries(SHEETS)) if (names.some((x) => n.includes(norm(x)))) return kind;
  }
  if (guessColumn(sheet.header, 'level') >= 0) return 'education';
  if (guessColumn(sheet.header, 'score') >= 0 || guessColumn(sheet.header, 'stage') >= 0) return 'scores';
  return 'applicants';
}

function guessMapping(sheet, kind) {
  const m = {};
  if (!KINDS[kind]) return m;
  for (const [col] of KINDS[kind].columns) m[col] = guessColumn(sheet.header, col);
  return m;
}

// RFC 4180: a field with a comma, quote, CR or LF is quoted, its quotes doubled.
const field = (s) => (/[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);

// One kind's CSV text from its sheet and mapping, and where each CSV record and field came from:
// rows[r] = the sheet row of CSV record r (1 = the header), cols[c] = the sheet column (1-based)
// of CSV field c, or 0 for a column the sheet does not have.
export function sheetCsv(sheet, kind, mapping) {
  const cols = [], names = [];
  for (const [col] of KINDS[kind].columns) {
    const i = mapping[col];
    if (i >= 0) {
      cols.push(i + 1);
      names.push(col);
    } else if (col === 'disqualified') {
      cols.push(0);  // quota-case/1 wants the column; quota-case/2: empty = not disqualified
      names.push(col);
    }
  }
  if (kind === 'applicants')
    sheet.header.forEach((h, i) => {
      if (/^attr\./.test(h)) {
        cols.push(i + 1);
        names.push(h);
      }
    });
  const lines = [names.map(field).join(',')];
  const rows = [null, sheet.headerRow];
  for (const r of sheet.rows) {
    lines.push(cols.map((c) => field(c ? r.cells[c - 1] || '' : '')).join(','));
    rows.push(r.row);
  }
  return { text: lines.join('\r\n') + '\r\n', rows, cols: [null, ...cols], names: [null, ...names] };
}

const label = (s) => (s.file && s.file !== s.name ? `${s.name} (${s.file})` : s.name);

// "scores.csv:4:4" → where in the workbook: {sheet, row, column}; other paths stay whole.
export function locate(path, sources) {
  const m = /^(applicants|education|scores)\.csv:(\d+)(?::(\d+))?$/.exec(path || '');
  if (!m || !sources[m[1]]) return { sheet: '', row: '', column: '', field: path || '' };
  const src = sources[m[1]];
  const r = Number(m[2]), c = m[3] ? Number(m[3]) : 0;
  const sheetCol = c && src.cols[c] ? src.cols[c] : 0;
  return {
    sheet: src.label,
    row: src.rows[r] !== undefined && src.rows[r] !== null ? String(src.rows[r]) : '',
    column: sheetCol ? columnLetter(sheetCol) : '',
    field: c ? src.names[c] || '' : '',
  };
}

export function XlsxUpload({ t }) {
  const [header, setHeader] = useState(null);
  const [sheets, setSheets] = useState([]);  // [{sheet, kind, mapping}]
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const [sources, setSources] = useState({});
  const open = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    setSheets([]);
    setBusy(true);
    try {
      const form = e.currentTarget;
      const hfile = form.querySelector('#xlsx-header').files[0];
      try {
        setHeader(JSON.parse(await hfile.text()));
      } catch {
        throw new Error(t.notJson(hfile.name));
      }
      const out = [];
      for (const f of form.querySelector('#xlsx-files').files) {
        let read;
        try {
          read = await readWorkbook(f);
        } catch (err) {
          throw new Error(t.xlsxUnreadable(f.name, err.message || String(err)));
        }
        for (const s of read) {
          if (!s.header.length) continue;
          const kind = guessKind(s);
          out.push({ sheet: s, kind, mapping: guessMapping(s, kind) });
        }
      }
      if (!out.length) throw new Error(t.xlsxNoSheets);
      setSheets(out);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const setKind = (i, kind) => {
    setError(null);
    setSheets(sheets.map((x, j) => (j === i ? { ...x, kind, mapping: guessMapping(x.sheet, kind) } : x)));
  };
  const setColumn = (i, col, v) => {
    setError(null);
    setSheets(sheets.map((x, j) => (j === i ? { ...x, mapping: { ...x.mapping, [col]: Number(v) } } : x)));
  };
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const body = { format: 'passline-case-csv/1', case: header };
    const src = {};
    try {
      for (const kind of Object.keys(KINDS)) {
        const of = sheets.filter((x) => x.kind === kind);
        if (of.length === 0) throw new Error(t.xlsxNoKind(t.kinds[kind]));
        if (of.length > 1) throw new Error(t.xlsxTwoKinds(t.kinds[kind], of.map((x) => label(x.sheet)).join(', ')));
        const { sheet, mapping } = of[0];
        const missing = KINDS[kind].columns.filter(([c, req]) => req && !(mapping[c] >= 0)).map(([c]) => t.columns[c] || c);
        if (missing.length) throw new Error(t.xlsxUnmapped(label(sheet), missing.join(', ')));
        const csv = sheetCsv(sheet, kind, mapping);
        body[kind] = csv.text;
        src[kind] = { ...csv, label: label(sheet) };
      }
    } catch (err) {
      setError(err);
      return;
    }
    setSources(src);
    setBusy(true);
    try {
      setDone(await api('/v1/recruitments', { method: 'POST', body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const problem = error instanceof ApiError ? error.problem : null;
  const errors = problemErrors(error);
  return (
    <section aria-labelledby="xlsx-h" class="xlsx-upload">
      <h2 id="xlsx-h">{t.xlsxTitle}</h2>
      <form onSubmit={open} class="card">
        <label for="xlsx-header">{t.xlsxHeader}</label>
        <input id="xlsx-header" type="file" accept=".json,application/json" required />
        <label for="xlsx-files">{t.xlsxFiles}</label>
        <input id="xlsx-files" type="file" multiple required aria-describedby="xlsx-help"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        <p id="xlsx-help" class="help">{t.xlsxHelp}</p>
        <button type="submit" disabled={busy}>{t.xlsxOpen}</button>
      </form>
      {sheets.length ? (
        <form onSubmit={submit} class="card" id="xlsx-mapping" aria-labelledby="map-h">
          <h3 id="map-h">{t.xlsxMapping}</h3>
          <p class="help">{t.xlsxMappingHelp}</p>
          {sheets.map((x, i) => (
            <fieldset key={i} class="sheet" data-sheet={x.sheet.name}>
              <legend>{t.sheet}: {label(x.sheet)} · {t.rowsCount(x.sheet.rows.length)}</legend>
              <label for={`kind-${i}`}>{t.kind}</label>
              <select id={`kind-${i}`} value={x.kind} onChange={(e) => setKind(i, e.target.value)}>
                {Object.keys(KINDS).map((k) => <option key={k} value={k}>{t.kinds[k]}</option>)}
                <option value="ignore">{t.kinds.ignore}</option>
              </select>
              <div class="scroll">
                <table class="data preview">
                  <caption>{t.xlsxHeaderRow(x.sheet.headerRow)}</caption>
                  <thead><tr>{x.sheet.header.map((h, c) => <th scope="col" key={c}>{columnLetter(c + 1)}: {h}</th>)}</tr></thead>
                  <tbody>{x.sheet.rows.slice(0, 2).map((r) => (
                    <tr key={r.row}>{x.sheet.header.map((_, c) => <td key={c}>{r.cells[c] || ''}</td>)}</tr>
                  ))}</tbody>
                </table>
              </div>
              {KINDS[x.kind] ? (
                <table class="data mapping">
                  <thead><tr><th scope="col">{t.xlsxField}</th><th scope="col">{t.xlsxColumn}</th></tr></thead>
                  <tbody>
                    {KINDS[x.kind].columns.map(([col, req]) => (
                      <tr key={col}>
                        <th scope="row"><label for={`map-${i}-${col}`}>{t.columns[col] || col} <code>{col}</code>
                          {req ? <span class="req"> ({t.required})</span> : null}</label></th>
                        <td>
                          <select id={`map-${i}-${col}`} data-column={col} value={String(x.mapping[col] ?? -1)}
                            required={req} aria-invalid={req && !(x.mapping[col] >= 0) ? 'true' : undefined}
                            onChange={(e) => setColumn(i, col, e.target.value)}>
                            <option value="-1">{t.xlsxNone}</option>
                            {x.sheet.header.map((h, c) => <option key={c} value={String(c)}>{columnLetter(c + 1)}: {h}</option>)}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </fieldset>
          ))}
          <button type="submit" disabled={busy} id="xlsx-submit">{t.upload}</button>
        </form>
      ) : null}
      {done ? (
        <p role="status" class="ok">{t.uploaded(done.id)} <a href={'#/r/' + enc(done.id)}>{done.id}</a></p>
      ) : null}
      {error && !problem ? (
        <div class="problem" role="alert"><strong>{t.error}</strong> {String(error.message || error)}</div>
      ) : null}
      {problem ? (
        <div role="alert" class="problem">
          <h3>{t.errorsTitle(problem.error_count || errors.length)}</h3>
          <table class="data" id="xlsx-errors">
            <thead><tr><th scope="col">{t.sheet}</th><th scope="col">{t.row}</th><th scope="col">{t.column}</th>
              <th scope="col">{t.field}</th><th scope="col">{t.code}</th><th scope="col">{t.detail}</th></tr></thead>
            <tbody>
              {errors.map((e, i) => {
                const at = locate(e.path, sources);
                return (
                  <tr key={i}><td>{at.sheet}</td><td class="num">{at.row}</td><td class="num">{at.column}</td>
                    <td><code>{at.field}</code></td><td><code>{e.code}</code></td><td>{e.detail}</td></tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
