// The passline web console (docs/CONSOLE.md): sign-in, recruiter (upload, decide, results,
// explanations), agency compliance, auditor's annual report. Hash routes (#/r/ID ...), so the
// server serves one fixed page.
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState, useCallback } from 'preact/hooks';
import { api, enc, session, ApiError } from './api.js';
import { langs, initialLang, saveLang } from './i18n.js';
import { ShareChart } from './chart.jsx';
import { Problem, problemErrors } from './problem.jsx';
import { LogView } from './log.jsx';
import { ReceiptVerify } from './receipt.jsx';
import { Tokens, Agencies } from './admin.jsx';
import { XlsxUpload } from './xlsx_upload.jsx';
import { Downloads } from './download.jsx';

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}


// Loads `path` whenever it changes; [data, error, reload].
function useApi(path) {
  const [state, setState] = useState({ data: null, error: null });
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState({ data: null, error: null });
    api(path).then(
      (data) => live && setState({ data, error: null }),
      (error) => live && setState({ data: null, error }),
    );
    return () => {
      live = false;
    };
  }, [path, n]);
  return [state.data, state.error, () => setN(n + 1)];
}

// ---- sign-in -----------------------------------------------------------------------------------

function SignIn({ t, onSignedIn }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api('/v1/whoami', { token: token.trim() });
      session.set(token.trim());
      onSignedIn(me);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card narrow" aria-labelledby="signin-h">
      <h1 id="signin-h">{t.signin}</h1>
      <form onSubmit={submit}>
        <label for="token">{t.token}</label>
        <input id="token" name="token" type="password" autocomplete="off" required
          aria-describedby="token-help" value={token} onInput={(e) => setToken(e.target.value)} />
        <p id="token-help" class="help">{t.tokenHelp}</p>
        <button type="submit" disabled={busy}>{t.signin}</button>
      </form>
      <Problem error={error} t={t} />
    </section>
  );
}

// ---- recruitments ------------------------------------------------------------------------------

function Recruitments({ t, query }) {
  const qs = new URLSearchParams(query);
  const path = '/v1/recruitments' + (qs.toString() ? '?' + qs : '');
  const [data, error] = useApi(path);
  return (
    <section aria-labelledby="rec-h">
      <h1 id="rec-h">{t.navRecruitments}{qs.get('agency') ? ` · ${qs.get('agency')}` : ''}</h1>
      <Problem error={error} t={t} />
      {!data && !error ? <p>{t.loading}</p> : null}
      {data && data.recruitments.length === 0 ? <p>{t.noRecruitments}</p> : null}
      {data && data.recruitments.length > 0 ? (
        <table class="data" id="recruitments">
          <thead>
            <tr><th scope="col">{t.id}</th><th scope="col">{t.agency}</th><th scope="col">{t.year}</th>
              <th scope="col">{t.announced}</th><th scope="col" class="num">{t.applicants}</th><th scope="col">{t.state}</th></tr>
          </thead>
          <tbody>
            {data.recruitments.map((r) => (
              <tr key={r.id}>
                <td><a href={'#/r/' + enc(r.id)}>{r.id}</a></td>
                <td>{r.agency}</td><td>{r.year}</td><td>{r.announced}</td>
                <td class="num">{r.applicants.toLocaleString()}</td>
                <td>{t.states[r.state] || r.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

// ---- upload ------------------------------------------------------------------------------------

// "applicants.csv:22:2" → {file, row, column}; other paths stay whole.
function splitPath(path) {
  const m = /^([^:]+\.csv):(\d+)(?::(\d+))?$/.exec(path || '');
  return m ? { file: m[1], row: m[2], column: m[3] || '' } : { file: '', row: '', column: '', field: path };
}

async function readUpload(files, t) {
  const byName = {};
  for (const f of files) byName[f.name.toLowerCase()] = f;
  const csvs = files.filter((f) => f.name.toLowerCase().endsWith('.csv'));
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const parse = async (f) => {
    try {
      return JSON.parse(await f.text());
    } catch {
      throw new Error(t.notJson(f.name));
    }
  };
  if (csvs.length === 0 && jsons.length === 1) return parse(jsons[0]);
  const find = (word) => csvs.find((f) => f.name.toLowerCase().includes(word));
  const need = { applicants: find('applicants'), education: find('education'), scores: find('scores') };
  const missing = Object.keys(need).filter((k) => !need[k]).map((k) => k + '.csv');
  if (jsons.length !== 1) missing.unshift('recruitment.json');
  if (missing.length) throw new Error(t.missingFiles(missing.join(', ')));
  return {
    format: 'passline-case-csv/1',
    case: await parse(jsons[0]),
    applicants: await need.applicants.text(),
    education: await need.education.text(),
    scores: await need.scores.text(),
  };
}

function Upload({ t }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const input = useRef(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      const body = await readUpload([...input.current.files], t);
      const r = await api('/v1/recruitments', { method: 'POST', body });
      setDone(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const problem = error instanceof ApiError ? error.problem : null;
  const errors = problemErrors(error);
  return (
    <section aria-labelledby="up-h">
      <h1 id="up-h">{t.uploadTitle}</h1>
      <form onSubmit={submit} class="card">
        <label for="files">{t.files}</label>
        <input id="files" ref={input} type="file" multiple accept=".json,.csv" required aria-describedby="files-help" />
        <p id="files-help" class="help">{t.uploadHelp}</p>
        <button type="submit" disabled={busy}>{t.upload}</button>
      </form>
      {done ? (
        <p role="status" class="ok">{t.uploaded(done.id)} <a href={'#/r/' + enc(done.id)}>{done.id}</a></p>
      ) : null}
      {error && !problem ? <Problem error={error} t={t} /> : null}
      {problem ? (
        <div role="alert" class="problem">
          <h2>{t.errorsTitle(problem.error_count || errors.length)}</h2>
          <table class="data" id="upload-errors">
            <thead><tr><th scope="col">{t.file}</th><th scope="col">{t.row}</th><th scope="col">{t.column}</th>
              <th scope="col">{t.field}</th><th scope="col">{t.code}</th><th scope="col">{t.detail}</th></tr></thead>
            <tbody>
              {errors.map((e, i) => {
                const at = splitPath(e.path);
                return (
                  <tr key={i}><td>{at.file}</td><td class="num">{at.row}</td><td class="num">{at.column}</td>
                    <td><code>{at.field || ''}</code></td><td><code>{e.code}</code></td><td>{e.detail}</td></tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <XlsxUpload t={t} />
    </section>
  );
}

// ---- one recruitment ---------------------------------------------------------------------------

function StageTable({ t, decision }) {
  const rows = [];
  for (const u of decision.units)
    for (const s of u.stages) {
      const progs = s.programs.length ? s.programs : [null];
      progs.forEach((p, i) => rows.push({ u, s, p, first: i === 0, span: progs.length }));
    }
  return (
    <table class="data" id="stage-results">
      <caption>{t.resultTitle}</caption>
      <thead>
        <tr><th scope="col">{t.unit}</th><th scope="col">{t.stage}</th><th scope="col" class="num">{t.planned}</th>
          <th scope="col" class="num">{t.considered}</th><th scope="col" class="num">{t.passed}</th><th scope="col" class="num">{t.cut}</th>
          <th scope="col" class="num">{t.threshold}</th><th scope="col">{t.program}</th><th scope="col" class="num">{t.target}</th>
          <th scope="col" class="num">{t.regular}</th><th scope="col" class="num">{t.additional}</th>
          <th scope="col" class="num">{t.shortfall}</th><th scope="col">{t.stoppedBy}</th></tr>
      </thead>
      <tbody>
        {rows.map(({ u, s, p, first, span }) => (
          <tr key={u.id + s.name + (p ? p.program : '')}>
            {first ? <><th scope="row" rowSpan={span}>{u.id}</th><td rowSpan={span}>{s.name}</td>
              <td class="num" rowSpan={span}>{s.planned}</td><td class="num" rowSpan={span}>{s.considered}</td>
              <td class="num" rowSpan={span}>{s.passed}</td><td class="num" rowSpan={span}>{s.cut ?? '—'}</td>
              <td class="num" rowSpan={span}>{s.threshold ?? '—'}</td></> : null}
            <td>{p ? p.program : '—'}</td><td class="num">{p ? p.target : ''}</td><td class="num">{p ? p.regular : ''}</td>
            <td class="num">{p ? p.additional : ''}</td><td class="num">{p ? p.shortfall : ''}</td>
            <td>{p ? (t.stop[p.stopped_by] || p.stopped_by || '—') : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function outcome(t, st) {
  if (st.decision === 'pass') return `${t.pass} (${t.basis[st.basis] || st.basis}${st.program ? ' · ' + st.program : ''})`;
  return `${t.fail}${st.reason ? ' (' + (t.reasons[st.reason] || st.reason) + ')' : ''}`;
}

const ROW = 34;   // px, every row of the applicants table
const PAGE = 500; // applicants per API page

// The decisions, paged from the API (keyset pages) into memory in the background; only the
// rows in view are in the DOM.
function ApplicantTable({ t, id, total, onExplain }) {
  const [onlyAdditional, setOnlyAdditional] = useState(false);
  const [rows, setRows] = useState([]);
  const [done, setDone] = useState(false);
  const [error, setError] = useState(null);
  const [scroll, setScroll] = useState(0);
  const box = useRef(null);
  useEffect(() => {
    let live = true;
    setRows([]);
    setDone(false);
    setError(null);
    const all = [];
    (async () => {
      let token = null;
      do {
        const q = new URLSearchParams({ page_size: String(PAGE) });
        if (onlyAdditional) q.set('basis', 'additional');
        if (token) q.set('page_token', token);
        const page = await api(`/v1/recruitments/${enc(id)}/decisions?${q}`);
        if (!live) return;
        all.push(...page.applicants);
        setRows(all.slice());
        if (all.length === page.applicants.length) performance.mark('passline:first-rows');
        token = page.next_page_token;
      } while (token && live);
      if (live) {
        setDone(true);
        performance.mark('passline:all-rows');
      }
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, onlyAdditional]);
  const height = 12 * ROW;
  const first = Math.max(0, Math.floor(scroll / ROW) - 5);
  const last = Math.min(rows.length, first + Math.ceil(height / ROW) + 10);
  const stages = rows.length ? rows[0].stages.map((s) => s.stage) : [];
  const count = onlyAdditional ? rows.length : Math.max(total, rows.length);
  return (
    <section aria-labelledby="app-h">
      <h2 id="app-h">{t.applicantsTitle}</h2>
      <div class="toolbar">
        <label class="check"><input type="checkbox" id="only-additional" checked={onlyAdditional}
          onChange={(e) => setOnlyAdditional(e.target.checked)} /> {t.onlyAdditional}</label>
        <span role="status" id="rows-status">{done ? t.rowsLoaded(rows.length, rows.length) : t.rowsLoaded(rows.length, count)}</span>
      </div>
      <Problem error={error} t={t} />
      <div class="vhead" aria-hidden="true">
        <span class="c-n">#</span><span class="c-unit">{t.unit}</span><span class="c-id">{t.applicants}</span>
        <span class="c-local">{t.local}</span>{stages.map((s) => <span class="c-stage" key={s}>{s}</span>)}
      </div>
      <div class="vbox" ref={box} style={{ height: height + 'px' }} id="applicant-table"
        role="table" aria-label={t.applicantsTitle} aria-rowcount={count}
        onScroll={(e) => setScroll(e.currentTarget.scrollTop)}>
        <div style={{ height: rows.length * ROW + 'px', position: 'relative' }} role="rowgroup">
          {rows.slice(first, last).map((a, k) => {
            const i = first + k;
            const local = Object.entries(a.local || {}).filter(([, v]) => v).map(([p]) => p).join(', ');
            return (
              <div class="vrow" role="row" aria-rowindex={i + 1} key={a.unit + '/' + a.id}
                style={{ top: i * ROW + 'px', height: ROW + 'px' }}>
                <span class="c-n" role="cell">{i + 1}</span>
                <span class="c-unit" role="cell">{a.unit}</span>
                <span class="c-id" role="cell">
                  <button type="button" class="link" data-applicant={a.id}
                    aria-label={`${t.explain}: ${a.id}`} onClick={() => onExplain(a.id)}>{a.id}</button>
                </span>
                <span class="c-local" role="cell">{local || '—'}</span>
                {a.stages.map((s) => (
                  <span class={'c-stage ' + s.decision + (s.basis === 'additional' ? ' additional' : '')}
                    role="cell" key={s.stage}>{outcome(t, s)}</span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function Explanation({ t, lang, id, applicant, onClose }) {
  const [data, error] = useApi(
    `/v1/recruitments/${enc(id)}/applicants/${enc(applicant)}/explanation?lang=${lang}`);
  const heading = useRef(null);
  useEffect(() => {
    if (heading.current) heading.current.focus();
  }, [applicant]);
  useEffect(() => {
    const key = (e) => e.key === 'Escape' && onClose();
    addEventListener('keydown', key);
    return () => removeEventListener('keydown', key);
  }, [onClose]);
  return (
    <aside class="explanation card" aria-labelledby="exp-h" id="explanation">
      <div class="toolbar">
        <h2 id="exp-h" tabIndex={-1} ref={heading}>{t.explanationTitle(applicant)}</h2>
        <button type="button" onClick={onClose}>{t.close}</button>
      </div>
      <Problem error={error} t={t} />
      {!data && !error ? <p>{t.loading}</p> : null}
      {data ? (
        <ol class="lines">
          {data.lines.filter((l) => l.text !== '').map((l, i) => (
            <li key={i} class={l.indent === 0 ? 'heading' : ''} style={{ marginLeft: l.indent * 1.2 + 'em' }}>
              {l.text}
              {l.citations && l.citations.length ? (
                <ul class="citations">
                  {l.citations.map((c, j) => (
                    <li key={j}><span class="cite-key">{c.program ? c.program + ' ' + (c.version || '') + ' ' : ''}{c.key}</span> {c.text}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </aside>
  );
}

function Recruitment({ t, lang, me, id }) {
  const [info, infoError, reload] = useApi(`/v1/recruitments/${enc(id)}`);
  const [decision, setDecision] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [explain, setExplain] = useState(null);
  const decided = info && info.state !== 'imported';
  useEffect(() => {
    setDecision(null);
    if (!decided) return;
    let live = true;
    // The units read (no applicants): the stage table's figures at any size (docs/HTTP.md).
    api(`/v1/recruitments/${enc(id)}/units`).then((d) => {
      if (!live) return;
      setDecision(d);
      performance.mark('passline:stage-table');
    }, (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, decided]);
  const decide = async () => {
    setBusy(true);
    setError(null);
    try {
      setDecision(await api(`/v1/recruitments/${enc(id)}/decide`, { method: 'POST' }));
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const close = useCallback(() => setExplain(null), []);
  return (
    <section aria-labelledby="r-h">
      <p><a href="#/">{t.back}</a></p>
      <h1 id="r-h">{id}</h1>
      <Problem error={infoError} t={t} />
      {info ? (
        <dl class="facts">
          <dt>{t.agency}</dt><dd>{info.agency}</dd><dt>{t.year}</dt><dd>{info.year}</dd>
          <dt>{t.announced}</dt><dd>{info.announced}</dd>
          <dt>{t.applicants}</dt><dd>{info.applicants.toLocaleString()}</dd>
          <dt>{t.state}</dt><dd id="state">{t.states[info.state] || info.state}</dd>
        </dl>
      ) : null}
      {info && info.state === 'imported' && me.role === 'recruiter' ? (
        <button type="button" id="decide" onClick={decide} disabled={busy}>{busy ? t.deciding : t.decide}</button>
      ) : null}
      <Problem error={error} t={t} />
      {decision ? <StageTable t={t} decision={decision} /> : decided ? <p>{t.loading}</p> : null}
      {decision && decided ? <Downloads t={t} id={id} units={decision} total={info.applicants} /> : null}
      {decided ? <ApplicantTable t={t} id={id} total={info.applicants} onExplain={setExplain} /> : null}
      {explain ? <Explanation t={t} lang={lang} id={id} applicant={explain} onClose={close} /> : null}
    </section>
  );
}

// ---- compliance and the report -----------------------------------------------------------------

function YearForm({ t, year, onYear, id }) {
  const [v, setV] = useState(String(year));
  useEffect(() => setV(String(year)), [year]);
  return (
    <form class="toolbar" onSubmit={(e) => { e.preventDefault(); onYear(Number(v)); }}>
      <label for={id}>{t.year}</label>
      <input id={id} type="number" min="2000" max="2100" value={v} onInput={(e) => setV(e.target.value)} />
      <button type="submit">{t.show}</button>
    </form>
  );
}

const causes = (o) => Object.entries(o || {}).map(([k, v]) => `${k}: ${v.passes_missing ?? v}`).join(', ') || '—';

function ReportRows({ t, rows, linkAgency, sortable, id }) {
  const [sort, setSort] = useState({ key: null, dir: 1 });
  const cols = [
    ['agency', t.agency], ['region', t.region], ['program', t.program], ['target_ratio', t.targetRatio],
    ['obligated_hires', t.obligated], ['group_hires', t.groupHires], ['rate', t.rate], ['met', t.met],
  ];
  const sorted = useMemo(() => {
    if (!sort.key) return rows;
    const num = (x) => (typeof x === 'string' && /^[\d.]+%?$/.test(x) ? parseFloat(x) : x);
    return [...rows].sort((a, b) => {
      const x = num(a[sort.key]), y = num(b[sort.key]);
      return (x < y ? -1 : x > y ? 1 : 0) * sort.dir;
    });
  }, [rows, sort]);
  return (
    <table class="data" id={id}>
      <thead>
        <tr>
          {cols.map(([k, label]) => (
            <th scope="col" key={k} aria-sort={sort.key === k ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none'}>
              {sortable ? (
                <button type="button" class="sort" aria-label={t.sortBy(label)}
                  onClick={() => setSort({ key: k, dir: sort.key === k ? -sort.dir : 1 })}>{label}</button>
              ) : label}
            </th>
          ))}
          <th scope="col">{t.shortfalls}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.agency + r.program}>
            <td>{linkAgency ? <a href={`#/recruitments?agency=${enc(r.agency)}&year=${r.year}`}>{r.agency}</a> : r.agency}</td>
            <td>{t.regionName[r.region] || r.region}</td><td>{r.program}</td><td class="num">{r.target_ratio}</td>
            <td class="num">{r.obligated_hires}</td><td class="num">{r.group_hires}</td><td class="num">{r.rate}</td>
            <td>{r.met == null ? '—' : r.met ? t.yes : t.no}</td><td>{causes(r.shortfalls)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Compliance({ t, me, year, setYear }) {
  const [data, error] = useApi(`/v1/agencies/${enc(me.agency)}/compliance?year=${year}`);
  const bars = data ? data.agencies.map((r) => ({ label: r.program, share: r.rate, target: r.target_ratio })) : [];
  return (
    <section aria-labelledby="c-h">
      <h1 id="c-h">{t.complianceTitle} · {me.agency}</h1>
      <YearForm t={t} year={year} onYear={setYear} id="c-year" />
      <Problem error={error} t={t} />
      {data ? <>
        <ShareChart t={t} bars={bars} id="compliance-chart" />
        <ReportRows t={t} rows={data.agencies.map((r) => ({ ...r, year }))} id="compliance-table" />
      </> : null}
    </section>
  );
}

function Report({ t, year, setYear }) {
  const [data, error] = useApi(`/v1/report?year=${year}`);
  const national = data ? data.totals.map((r) => ({ label: `${t.totals} · ${r.program}`, share: r.rate,
    target: (data.agencies.find((a) => a.program === r.program) || {}).target_ratio })) : [];
  const regional = data ? data.regions.map((r) => ({ label: `${t.regionName[r.region] || r.region} · ${r.program}`, share: r.rate,
    target: (data.agencies.find((a) => a.program === r.program) || {}).target_ratio })) : [];
  return (
    <section aria-labelledby="rep-h">
      <h1 id="rep-h">{t.reportTitle} {year}</h1>
      <YearForm t={t} year={year} onYear={setYear} id="rep-year" />
      <Problem error={error} t={t} />
      {data ? <>
        <ShareChart t={t} bars={[...national, ...regional]} id="report-chart" />
        <h2>{t.totals}</h2>
        <table class="data" id="report-totals">
          <thead><tr><th scope="col">{t.program}</th><th scope="col" class="num">{t.agencies}</th>
            <th scope="col" class="num">{t.agenciesMet}</th><th scope="col" class="num">{t.obligated}</th>
            <th scope="col" class="num">{t.groupHires}</th><th scope="col" class="num">{t.rate}</th></tr></thead>
          <tbody>{data.totals.map((r) => (
            <tr key={r.program}><th scope="row">{r.program}</th><td class="num">{r.agencies}</td><td class="num">{r.agencies_met}</td>
              <td class="num">{r.obligated_hires}</td><td class="num">{r.group_hires}</td><td class="num">{r.rate}</td></tr>
          ))}</tbody>
        </table>
        <h2>{t.regions}</h2>
        <table class="data" id="report-regions">
          <thead><tr><th scope="col">{t.region}</th><th scope="col">{t.program}</th><th scope="col" class="num">{t.agencies}</th>
            <th scope="col" class="num">{t.agenciesMet}</th><th scope="col" class="num">{t.obligated}</th>
            <th scope="col" class="num">{t.groupHires}</th><th scope="col" class="num">{t.rate}</th></tr></thead>
          <tbody>{data.regions.map((r) => (
            <tr key={r.region + r.program}><th scope="row">{t.regionName[r.region] || r.region}</th><td>{r.program}</td>
              <td class="num">{r.agencies}</td><td class="num">{r.agencies_met}</td><td class="num">{r.obligated_hires}</td>
              <td class="num">{r.group_hires}</td><td class="num">{r.rate}</td></tr>
          ))}</tbody>
        </table>
        <h2>{t.agency}</h2>
        <ReportRows t={t} rows={data.agencies.map((r) => ({ ...r, year }))} linkAgency sortable id="report-table" />
      </> : null}
    </section>
  );
}

// ---- the shell ---------------------------------------------------------------------------------

function App() {
  const [lang, setLang] = useState(initialLang());
  const [me, setMe] = useState(null);
  const [checking, setChecking] = useState(!!session.token());
  const [year, setYear] = useState(new Date().getFullYear());
  const hash = useHash();
  const t = langs[lang];
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.title;
  }, [lang]);
  useEffect(() => {
    if (!session.token()) return;
    api('/v1/whoami').then(setMe, () => session.clear()).finally(() => setChecking(false));
  }, []);
  // The year shown first: the newest of the recruitments this token sees (else this year).
  useEffect(() => {
    if (!me || me.role === 'admin') return;
    api('/v1/recruitments').then((d) => {
      const years = d.recruitments.map((r) => r.year);
      if (years.length) setYear(Math.max(...years));
    }, () => {});
  }, [me]);
  const signOut = () => {
    session.clear();
    setMe(null);
    location.hash = '#/';
  };
  const toggle = () => {
    const l = lang === 'ko' ? 'en' : 'ko';
    saveLang(l);
    setLang(l);
  };
  const [route, query = ''] = hash.slice(1).split('?');
  let page;
  if (route === '/verify') page = <ReceiptVerify t={t} />; // anyone, no sign-in: nothing is sent
  else if (checking) page = <p>{t.loading}</p>;
  else if (!me) page = <SignIn t={t} onSignedIn={setMe} />;
  else if (route.startsWith('/r/')) page = <Recruitment t={t} lang={lang} me={me} id={decodeURIComponent(route.slice(3))} />;
  else if (route === '/upload' && me.role === 'recruiter') page = <Upload t={t} />;
  else if (route === '/compliance' && me.role === 'recruiter') page = <Compliance t={t} me={me} year={year} setYear={setYear} />;
  else if (route === '/report' && me.role === 'auditor') page = <Report t={t} year={year} setYear={setYear} />;
  else if (route === '/log' && me.role === 'auditor') page = <LogView t={t} query={query} />;
  else if (route === '/admin/agencies' && me.role === 'admin') page = <Agencies t={t} />;
  else if (me.role === 'admin') page = <Tokens t={t} />;
  else page = <Recruitments t={t} query={route === '/recruitments' ? query : ''} />;
  const nav = me ? (me.role === 'recruiter'
    ? [['#/', t.navRecruitments], ['#/upload', t.navUpload], ['#/compliance', t.navCompliance]]
    : me.role === 'auditor' ? [['#/', t.navRecruitments], ['#/report', t.navReport], ['#/log', t.navLog], ['#/verify', t.navVerify]]
      : [['#/', t.navTokens], ['#/admin/agencies', t.navAgencies], ['#/verify', t.navVerify]]) : [['#/', t.signin], ['#/verify', t.navVerify]];
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>{t.skip}</a>
      <header>
        <span class="brand">passline</span>
        <nav aria-label="main">
          {nav.map(([href, label]) => (
            <a key={href} href={href} aria-current={(hash === href || (href === '#/' && hash === '#')) ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <span class="who">{me ? `${t.role[me.role] || me.role}${me.agency ? ' · ' + me.agency : ''}` : ''}</span>
        <button type="button" id="lang" aria-label={t.langLabel} lang={lang === 'ko' ? 'en' : 'ko'} onClick={toggle}>{t.lang}</button>
        {me ? <button type="button" id="signout" onClick={signOut}>{t.signout}</button> : null}
      </header>
      <main id="main" tabIndex={-1}>{page}</main>
    </>
  );
}

render(<App />, document.getElementById('app'));
