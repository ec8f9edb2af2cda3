// 감사 로그 (auditor): the newest signed checkpoint with its signature checked in the browser,
// the log's entries (a recruitment's block, or any range), and for one entry its RFC 9162
// inclusion proof up to the checkpoint and the consistency proof from the first tree holding
// it to the checkpoint's tree, both recomputed here with verify.js.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, session, ApiError } from './api.js';
import { Problem } from './problem.jsx';
import {
  hashFromHex, leafHash, parseVerifierKey, toHex, verifyCheckpoint, verifyConsistency, verifyInclusion,
} from './verify.js';

const PAGE = 50; // entries per page

// GET /v1/audit/entries answers NDJSON, not JSON: the lines as they are (the canonical bytes).
async function entriesText(start, end) {
  const resp = await fetch(`/v1/audit/entries?start=${start}&end=${end}`, {
    headers: { Authorization: 'Bearer ' + session.token(), Accept: 'application/x-ndjson' },
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await resp.text();
  if (!resp.ok) {
    let p = {};
    try {
      p = JSON.parse(text);
    } catch {
      p = { detail: text };
    }
    throw new ApiError(resp.status, p);
  }
  return { lines: text.split('\n').filter((l) => l !== ''), size: Number(resp.headers.get('Log-Size')) };
}


const Verdict = ({ t, holds, id, children }) => (
  <span class={'verdict ' + (holds ? 'good' : 'bad')} id={id} data-holds={String(holds)}>
    {holds ? t.holds : t.fails}{children ? <> · {children}</> : null}
  </span>
);

// ---- the checkpoint --------------------------------------------------------------------------

function Checkpoint({ t, cp, check }) {
  const [pin, setPin] = useState('');
  const [pinned, setPinned] = useState(null);
  const tryPin = async (e) => {
    e.preventDefault();
    try {
      const key = await parseVerifierKey(pin);
      await verifyCheckpoint(cp.note, key);
      setPinned({ holds: true });
    } catch (err) {
      setPinned({ holds: false, code: err.code, detail: err.message });
    }
  };
  return (
    <section class="card" aria-labelledby="cp-h">
      <h2 id="cp-h">{t.checkpointTitle}</h2>
      <dl class="facts" id="checkpoint">
        <dt>{t.logOrigin}</dt><dd data-field="origin">{cp.origin}</dd>
        <dt>{t.treeSize}</dt><dd data-field="tree_size">{cp.tree_size.toLocaleString()}</dd>
        <dt>{t.logSize}</dt><dd data-field="log_size">{cp.log_size.toLocaleString()}</dd>
        <dt>{t.root}</dt><dd><code class="hash" data-field="root">{cp.root}</code></dd>
        <dt>{t.checkpointTime}</dt><dd data-field="time">{cp.time || '—'}</dd>
        <dt>{t.verifierKey}</dt><dd><code class="hash">{cp.verifier_key}</code></dd>
        <dt>{t.signature}</dt>
        <dd>{check ? <Verdict t={t} holds={check.holds} id="cp-signature">
          {check.holds ? t.cpSignedByServedKey : <><code>{check.code}</code> {check.detail}</>}</Verdict> : t.loading}</dd>
      </dl>
      <details>
        <summary>{t.signedNote}</summary>
        <pre class="note" id="cp-note">{cp.note}</pre>
      </details>
      <form class="toolbar" onSubmit={tryPin}>
        <label for="cp-pin">{t.pinKey}</label>
        <input id="cp-pin" type="text" class="wide" spellcheck={false} value={pin} onInput={(e) => setPin(e.target.value)} />
        <button type="submit">{t.verify}</button>
        {pinned ? <Verdict t={t} holds={pinned.holds} id="cp-pinned">
          {pinned.holds ? t.cpSignedByPinnedKey : <><code>{pinned.code}</code> {pinned.detail}</>}</Verdict> : null}
      </form>
    </section>
  );
}

// ---- one entry's proofs ----------------------------------------------------------------------

function Proofs({ t, cp, index, entry, onClose }) {
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const heading = useRef(null);
  useEffect(() => {
    if (heading.current) heading.current.focus();
  }, [index]);
  useEffect(() => {
    let live = true;
    setState(null);
    setError(null);
    (async () => {
      const size = cp.tree_size;
      if (index >= size) return { beyond: true };
      const inc = await api(`/v1/audit/proofs/inclusion?index=${index}&tree_size=${size}`);
      const con = await api(`/v1/audit/proofs/consistency?first=${index + 1}&second=${size}`);
      const leaf = await leafHash(entry);
      const root = hashFromHex(cp.root);
      const included = await verifyInclusion(index, size, leaf, inc.proof.map(hashFromHex), root);
      const consistent = await verifyConsistency(index + 1, size, hashFromHex(con.first_root), root, con.proof.map(hashFromHex));
      return { inc, con, leaf: toHex(leaf), included, consistent };
    })().then((s) => live && setState(s), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [index, cp.tree_size]);
  return (
    <section class="card" aria-labelledby="proof-h" id="proofs">
      <div class="toolbar">
        <h2 id="proof-h" tabIndex={-1} ref={heading}>{t.proofsTitle(index)}</h2>
        <button type="button" onClick={onClose}>{t.close}</button>
      </div>
      <Problem t={t} error={error} />
      {!state && !error ? <p>{t.loading}</p> : null}
      {state && state.beyond ? <p>{t.beyondCheckpoint(cp.tree_size)}</p> : null}
      {state && state.inc ? <>
        <h3>{t.inclusionTitle(index, cp.tree_size)}</h3>
        <dl class="facts">
          <dt>{t.leafComputed}</dt><dd><code class="hash" id="leaf-computed">{state.leaf}</code></dd>
          <dt>{t.leafServed}</dt><dd><code class="hash">{state.inc.leaf_hash}</code>
            {' '}<Verdict t={t} holds={state.inc.leaf_hash === state.leaf} id="leaf-match" /></dd>
          <dt>{t.root}</dt><dd><code class="hash">{state.inc.root}</code></dd>
          <dt>{t.result}</dt><dd><Verdict t={t} holds={state.included} id="inclusion-verdict">{t.inclusionWhy}</Verdict></dd>
        </dl>
        <ol class="hashes" id="inclusion-proof">{state.inc.proof.map((h, i) => <li key={i}><code class="hash">{h}</code></li>)}</ol>
        <h3>{t.consistencyTitle(index + 1, cp.tree_size)}</h3>
        <dl class="facts">
          <dt>{t.firstRoot}</dt><dd><code class="hash">{state.con.first_root}</code></dd>
          <dt>{t.secondRoot}</dt><dd><code class="hash">{state.con.second_root}</code>
            {' '}<Verdict t={t} holds={state.con.second_root === cp.root} id="second-root-match">{t.isCheckpointRoot}</Verdict></dd>
          <dt>{t.result}</dt><dd><Verdict t={t} holds={state.consistent} id="consistency-verdict">{t.consistencyWhy}</Verdict></dd>
        </dl>
        <ol class="hashes" id="consistency-proof">{state.con.proof.map((h, i) => <li key={i}><code class="hash">{h}</code></li>)}</ol>
      </> : null}
    </section>
  );
}

// ---- the entries -------------------------------------------------------------------------------

function describe(t, v) {
  if (!v) return '';
  if (v.type === 'recruitment') return t.headerOf(v.recruitment, (v.units || []).reduce((n, u) => n + (u.applicants || 0), 0));
  if (v.type === 'applicant')
    return (v.outcomes || []).map((o) => `${o.stage}: ${o.outcome}${o.program ? ' (' + o.program + ')' : ''}`).join(', ');
  return v.type || '';
}

function Entries({ t, cp, lo, start, end, onPage }) {
  const [rows, setRows] = useState(null);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null);
  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    setOpen(null);
    entriesText(start, Math.min(end, start + PAGE)).then(async ({ lines }) => {
      const out = [];
      for (let i = 0; i < lines.length; i++) {
        let v = null;
        try {
          v = JSON.parse(lines[i]);
        } catch {
          v = null;
        }
        out.push({ index: start + i, text: lines[i], v, leaf: toHex(await leafHash(lines[i])) });
      }
      if (live) setRows(out);
    }, (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [start, end]);
  const last = Math.min(end, start + PAGE);
  return (
    <>
      <div class="toolbar">
        <span role="status" id="entries-status">{t.entriesShown(start, last - 1, end)}</span>
        <button type="button" disabled={start <= lo} onClick={() => onPage(Math.max(lo, start - PAGE))}>{t.previous}</button>
        <button type="button" disabled={last >= end} onClick={() => onPage(last)}>{t.next}</button>
      </div>
      <Problem t={t} error={error} />
      {rows ? (
        <table class="data" id="log-entries">
          <thead><tr><th scope="col" class="num">{t.index}</th><th scope="col">{t.type}</th><th scope="col">{t.unit}</th>
            <th scope="col">{t.applicantId}</th><th scope="col">{t.content}</th><th scope="col">{t.leaf}</th><th scope="col">{t.proofs}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.index} data-index={r.index}>
                <td class="num">{r.index}</td>
                <td>{r.v ? (t.entryType[r.v.type] || r.v.type) : '?'}</td>
                <td>{r.v && r.v.unit ? r.v.unit : ''}</td>
                <td>{r.v && r.v.applicant ? r.v.applicant : ''}</td>
                <td>{describe(t, r.v)}</td>
                <td><code class="hash short" title={r.leaf}>{r.leaf.slice(0, 16)}…</code></td>
                <td><button type="button" class="link" aria-label={t.showProofs(r.index)} onClick={() => setOpen(r)}>{t.proofs}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : !error ? <p>{t.loading}</p> : null}
      {open ? <Proofs t={t} cp={cp} index={open.index} entry={open.text} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

// Where a recruitment's entries are: the receipt of its first applicant names the header's index
// (no API lists a recruitment's log block); the header's units give the block's length.
async function locate(id) {
  const page = await api(`/v1/recruitments/${enc(id)}/decisions?page_size=1`);
  const first = page.applicants[0];
  if (!first) throw new Error('no applicants');
  const receipt = await api(`/v1/recruitments/${enc(id)}/applicants/${enc(first.id)}/receipt`);
  const header = receipt.entries.find((e) => JSON.parse(e.entry).type === 'recruitment');
  const block = JSON.parse(header.entry).units.reduce((n, u) => n + u.applicants, 0);
  return { start: header.index, end: header.index + 1 + block };
}

export function LogView({ t, query }) {
  const qs = new URLSearchParams(query);
  const [cp, setCp] = useState(null);
  const [check, setCheck] = useState(null);
  const [error, setError] = useState(null);
  const [recruitments, setRecruitments] = useState([]);
  const [chosen, setChosen] = useState(qs.get('recruitment') || '');
  const [range, setRange] = useState(null);
  const [rangeError, setRangeError] = useState(null);
  const [from, setFrom] = useState('0');
  useEffect(() => {
    api('/v1/audit/checkpoint').then(async (c) => {
      setCp(c);
      try {
        const parsed = await verifyCheckpoint(c.note, c.verifier_key);
        const same = toHex(parsed.root) === c.root && String(parsed.size) === String(c.tree_size) && parsed.origin === c.origin;
        setCheck(same ? { holds: true } : { holds: false, code: 'receipt_mismatch', detail: t.cpFieldsDiffer });
      } catch (e) {
        setCheck({ holds: false, code: e.code, detail: e.message });
      }
    }, setError);
    api('/v1/recruitments').then((d) => setRecruitments(d.recruitments.filter((r) => r.state !== 'imported')), () => {});
  }, []);
  const show = async (id) => {
    setRangeError(null);
    setRange(null);
    if (!id) return;
    try {
      const at = await locate(id);
      setRange({ ...at, lo: at.start, recruitment: id });
    } catch (e) {
      setRangeError(e);
    }
  };
  useEffect(() => {
    if (cp && chosen) show(chosen);
  }, [cp]);
  return (
    <section aria-labelledby="log-h">
      <h1 id="log-h">{t.logTitle}</h1>
      <Problem t={t} error={error} />
      {cp ? <Checkpoint t={t} cp={cp} check={check} /> : !error ? <p>{t.loading}</p> : null}
      {cp ? (
        <section aria-labelledby="ent-h">
          <h2 id="ent-h">{t.entriesTitle}</h2>
          <form class="toolbar" onSubmit={(e) => { e.preventDefault(); show(chosen); }}>
            <label for="log-recruitment">{t.recruitmentEntries}</label>
            <select id="log-recruitment" value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">—</option>
              {recruitments.map((r) => <option key={r.id} value={r.id}>{r.id} · {r.agency} · {r.year}</option>)}
            </select>
            <button type="submit">{t.show}</button>
          </form>
          <form class="toolbar" onSubmit={(e) => {
            e.preventDefault();
            const n = Math.max(0, Math.min(cp.log_size - 1, parseInt(from, 10) || 0));
            setRangeError(null);
            setRange({ lo: n, start: n, end: cp.log_size, recruitment: null });
          }}>
            <label for="log-from">{t.fromIndex}</label>
            <input id="log-from" type="number" min="0" max={Math.max(0, cp.log_size - 1)} value={from} onInput={(e) => setFrom(e.target.value)} />
            <button type="submit">{t.show}</button>
          </form>
          <Problem t={t} error={rangeError} />
          {range ? <>
            {range.recruitment ? <p id="entries-of">{t.entriesOf(range.recruitment, range.start, range.end - 1)}</p> : null}
            <Entries t={t} cp={cp} lo={range.lo} start={range.start} end={range.end} onPage={(s) => setRange({ ...range, start: s })} />
          </> : null}
        </section>
      ) : null}
    </section>
  );
}
