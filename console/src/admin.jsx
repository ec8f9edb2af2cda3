// 관리자 (admin): API tokens (list, create with role and agency — the secret shown once —,
// revoke) and the agency registry (list, view, register or replace one agency by PUT, import a
// registry file), over the admin routes of docs/HTTP.md.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from './api.js';
import { Problem } from './problem.jsx';

export const REGIONS = ['seoul', 'busan', 'daegu', 'incheon', 'gwangju', 'daejeon', 'ulsan', 'sejong', 'gyeonggi',
  'gangwon', 'chungbuk', 'chungnam', 'jeonbuk', 'jeonnam', 'gyeongbuk', 'gyeongnam', 'jeju', 'jeonnam_gwangju'];


// ---- tokens ------------------------------------------------------------------------------------

export function Tokens({ t }) {
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  const [role, setRole] = useState('recruiter');
  const [agency, setAgency] = useState('');
  const [created, setCreated] = useState(null);
  const [confirm, setConfirm] = useState(null);
  const [done, setDone] = useState('');
  const secret = useRef(null);
  const load = () => api('/v1/tokens').then((d) => setList(d.tokens), setError);
  useEffect(() => {
    load();
  }, []);
  useEffect(() => {
    if (created && secret.current) secret.current.focus();
  }, [created]);
  const create = async (e) => {
    e.preventDefault();
    setError(null);
    setCreated(null);
    setDone('');
    try {
      const body = role === 'recruiter' ? { role, agency: agency.trim() } : { role };
      setCreated(await api('/v1/tokens', { method: 'POST', body }));
      load();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id) => {
    setError(null);
    setCreated(null); // the secret is shown once: gone at the next action
    try {
      await api(`/v1/tokens/${enc(id)}`, { method: 'DELETE' });
      setConfirm(null);
      setDone(t.revoked(id));
      load();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="tok-h">
      <h1 id="tok-h">{t.tokensTitle}</h1>
      <form class="card" onSubmit={create} aria-labelledby="tok-new-h">
        <h2 id="tok-new-h">{t.newToken}</h2>
        <div class="toolbar">
          <label for="tok-role">{t.roleLabel}</label>
          <select id="tok-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {['recruiter', 'auditor', 'admin'].map((r) => <option key={r} value={r}>{t.role[r]}</option>)}
          </select>
          {role === 'recruiter' ? <>
            <label for="tok-agency">{t.agencyCode}</label>
            <input id="tok-agency" type="text" required value={agency} onInput={(e) => setAgency(e.target.value)} aria-describedby="tok-help" />
          </> : null}
          <button type="submit">{t.createToken}</button>
        </div>
        <p id="tok-help" class="help">{t.tokenRoleHelp}</p>
      </form>
      <Problem t={t} error={error} />
      {created ? (
        <div class="ok" role="status" id="new-token">
          <p><strong>{t.tokenCreated(created.id)}</strong> {t.secretOnce}</p>
          <label for="new-secret">{t.secret}</label>
          <input id="new-secret" ref={secret} type="text" readOnly class="wide" value={created.token}
            onFocus={(e) => e.target.select()} />
        </div>
      ) : null}
      {done ? <p class="ok" role="status">{done}</p> : null}
      {list ? (
        <table class="data" id="tokens">
          <thead><tr><th scope="col">{t.tokenId}</th><th scope="col">{t.roleLabel}</th><th scope="col">{t.agency}</th>
            <th scope="col">{t.state}</th><th scope="col">{t.actions}</th></tr></thead>
          <tbody>
            {list.map((k) => (
              <tr key={k.id} data-token={k.id}>
                <td><code>{k.id}</code></td><td>{t.role[k.role] || k.role}</td><td>{k.agency || '—'}</td>
                <td>{k.revoked ? t.tokenRevoked : t.tokenActive}</td>
                <td>
                  {k.revoked ? '' : confirm === k.id ? <>
                    <button type="button" class="danger" onClick={() => revoke(k.id)}>{t.confirmRevoke(k.id)}</button>{' '}
                    <button type="button" class="secondary" onClick={() => setConfirm(null)}>{t.cancel}</button>
                  </> : <button type="button" class="secondary" aria-label={t.revokeLabel(k.id)} onClick={() => setConfirm(k.id)}>{t.revoke}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : !error ? <p>{t.loading}</p> : null}
    </section>
  );
}

// ---- the agency registry -------------------------------------------------------------------------

const blank = { code: '', name_ko: '', name_en: '', region: 'seoul', public_institution: true, innovation: false,
  cohort: '2018', since: '', joint_city: false, source: '' };

function toForm(r) {
  return {
    code: r.code, name_ko: r.name_ko || '', name_en: r.name_en || '', region: r.region,
    public_institution: !!r.public_institution, innovation: !!r.innovation_city,
    cohort: r.innovation_city ? String(r.innovation_city.cohort) : '2018',
    since: r.innovation_city ? r.innovation_city.since : '', joint_city: !!(r.innovation_city && r.innovation_city.joint_city),
    source: r.source || '',
  };
}

function toRecord(f) {
  const r = { name_ko: f.name_ko, region: f.region, public_institution: f.public_institution, source: f.source,
    innovation_city: f.innovation ? { cohort: Number(f.cohort), since: f.since, joint_city: f.joint_city } : null };
  if (f.name_en.trim()) r.name_en = f.name_en;
  return r;
}

function AgencyForm({ t, initial, isNew, onSaved, onCancel }) {
  const [f, setF] = useState(initial);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const first = useRef(null);
  useEffect(() => {
    setF(initial);
    setError(null);
    if (first.current) first.current.focus();
  }, [initial]);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const rec = await api(`/v1/agencies/${enc(f.code.trim())}`, { method: 'PUT', body: toRecord(f) });
      onSaved(rec, isNew);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card agency-form" id="agency-form" onSubmit={save} aria-labelledby="ag-form-h">
      <h2 id="ag-form-h">{isNew ? t.registerAgency : t.editAgency(f.code)}</h2>
      <div class="grid2">
        <label for="ag-code">{t.agencyCode}</label>
        <input id="ag-code" ref={first} type="text" required readOnly={!isNew} value={f.code} onInput={set('code')} />
        <label for="ag-name-ko">{t.nameKo}</label>
        <input id="ag-name-ko" type="text" required value={f.name_ko} onInput={set('name_ko')} />
        <label for="ag-name-en">{t.nameEn}</label>
        <input id="ag-name-en" type="text" value={f.name_en} onInput={set('name_en')} />
        <label for="ag-region">{t.region}</label>
        <select id="ag-region" value={f.region} onChange={set('region')}>
          {REGIONS.map((r) => <option key={r} value={r}>{t.regionName[r] ? `${t.regionName[r]} (${r})` : r}</option>)}
        </select>
        <span />
        <label class="check"><input type="checkbox" id="ag-public" checked={f.public_institution} onChange={set('public_institution')} /> {t.publicInstitution}</label>
        <span />
        <label class="check"><input type="checkbox" id="ag-innovation" checked={f.innovation} onChange={set('innovation')} /> {t.innovationCity}</label>
        {f.innovation ? <>
          <label for="ag-cohort">{t.cohort}</label>
          <select id="ag-cohort" value={f.cohort} onChange={set('cohort')}><option value="2018">2018</option><option value="2020">2020</option></select>
          <label for="ag-since">{t.since}</label>
          <input id="ag-since" type="text" placeholder="2018-01-25" pattern="\d{4}-\d{2}-\d{2}" value={f.since} onInput={set('since')} />
          <span />
          <label class="check"><input type="checkbox" id="ag-joint" checked={f.joint_city} onChange={set('joint_city')} /> {t.jointCity}</label>
        </> : null}
        <label for="ag-source">{t.source}</label>
        <textarea id="ag-source" rows="3" required value={f.source} onInput={set('source')} />
      </div>
      <Problem t={t} error={error} />
      <div class="toolbar">
        <button type="submit" disabled={busy}>{t.save}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t.cancel}</button>
      </div>
    </form>
  );
}

export function Agencies({ t }) {
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(null); // {initial, isNew}
  const [done, setDone] = useState('');
  const [importError, setImportError] = useState(null);
  const file = useRef(null);
  const load = () => api('/v1/agencies').then((d) => setList(d.agencies), setError);
  useEffect(() => {
    load();
  }, []);
  const open = async (code) => {
    setDone('');
    try {
      setEditing({ initial: toForm(await api(`/v1/agencies/${enc(code)}`)), isNew: false });
    } catch (err) {
      setError(err);
    }
  };
  const saved = (rec, isNew) => {
    setEditing(null);
    setDone(isNew ? t.agencyRegistered(rec.code) : t.agencySaved(rec.code));
    load();
  };
  const importFile = async (e) => {
    e.preventDefault();
    setImportError(null);
    setDone('');
    try {
      const f = file.current.files[0];
      let body;
      try {
        body = JSON.parse(await f.text());
      } catch {
        throw new Error(t.notJson(f.name));
      }
      const r = await api('/v1/agencies/import', { method: 'POST', body });
      setDone(t.imported(r.added, r.updated, r.unchanged));
      load();
    } catch (err) {
      setImportError(err);
    }
  };
  return (
    <section aria-labelledby="ag-h">
      <h1 id="ag-h">{t.agenciesTitle}</h1>
      <div class="toolbar">
        <button type="button" id="new-agency" onClick={() => { setDone(''); setEditing({ initial: { ...blank }, isNew: true }); }}>{t.registerAgency}</button>
      </div>
      <form class="card toolbar" onSubmit={importFile}>
        <label for="ag-import">{t.importFile}</label>
        <input id="ag-import" ref={file} type="file" accept=".json,application/json" required aria-describedby="ag-import-help" />
        <button type="submit">{t.importRegistry}</button>
        <p id="ag-import-help" class="help">{t.importHelp}</p>
      </form>
      <Problem t={t} error={importError} />
      {done ? <p class="ok" role="status" id="agency-done">{done}</p> : null}
      {editing ? <AgencyForm t={t} initial={editing.initial} isNew={editing.isNew} onSaved={saved} onCancel={() => setEditing(null)} /> : null}
      <Problem t={t} error={error} />
      {list ? (
        <table class="data" id="agencies">
          <thead><tr><th scope="col">{t.agencyCode}</th><th scope="col">{t.nameKo}</th><th scope="col">{t.nameEn}</th>
            <th scope="col">{t.region}</th><th scope="col">{t.publicInstitution}</th><th scope="col">{t.innovationCity}</th>
            <th scope="col">{t.registered}</th></tr></thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.code} data-code={a.code}>
                <td><button type="button" class="link" aria-label={t.viewAgency(a.code)} onClick={() => open(a.code)}>{a.code}</button></td>
                <td>{a.name_ko}</td><td>{a.name_en || ''}</td><td>{t.regionName[a.region] || a.region}</td>
                <td>{a.public_institution ? t.yes : t.no}</td>
                <td>{a.innovation_city ? `${a.innovation_city.cohort} · ${a.innovation_city.since}${a.innovation_city.joint_city ? ' · ' + t.jointCity : ''}` : '—'}</td>
                <td>{a.registered === false ? t.no : t.yes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : !error ? <p>{t.loading}</p> : null}
    </section>
  );
}
