// 영수증 검증: an applicant's receipt (passline-receipt/1) checked in this browser by verify.js,
// against a verifier key the reader supplies. This screen imports neither api.js nor fetch:
// nothing of the receipt or the key leaves the page, and no sign-in is needed.
import { useRef, useState } from 'preact/hooks';
import { verifyReceipt } from './verify.js';

export function CheckTable({ t, checks, id }) {
  return (
    <table class="data" id={id}>
      <caption>{t.checksTitle}</caption>
      <thead>
        <tr><th scope="col">#</th><th scope="col">{t.check}</th><th scope="col">{t.subject}</th>
          <th scope="col">{t.result}</th><th scope="col">{t.reason}</th></tr>
      </thead>
      <tbody>
        {checks.map((c, i) => (
          <tr key={i} data-check={c.id} data-holds={String(c.holds)} data-code={c.code || ''}
            class={c.holds === false ? 'fails' : c.holds ? 'holds' : 'skipped'}>
            <td class="num">{i + 1}</td>
            <th scope="row">{t.checkName[c.id] || c.id}</th>
            <td>{c.entry !== undefined ? t.entrySubject(c.entry, c.index) : ''}</td>
            <td>{c.holds === false ? t.fails : c.holds ? t.holds : t.notRun}</td>
            <td>
              {c.holds === false ? <>
                <code>{c.code}</code> {t.checkReasons[c.code] || ''}
                <span class="detail">{c.path ? <><code>{c.path}</code>: </> : null}{c.detail}</span>
              </> : c.holds ? (
                c.id === 'key' ? (c.pinned ? t.keyPinned : t.keyFromReceipt)
                  : c.id === 'signature' ? t.signedBy(c.signer.name, c.signer.keyId)
                  : c.id === 'inclusion' ? <>{t.inclusionHolds(c.detail)} <span class="detail">{t.leaf} <code>{c.leaf}</code></span></>
                  : (t.holdsWhy[c.id] || '')
              ) : t.notRunWhy}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const readText = (file) => file.text();

export function ReceiptVerify({ t }) {
  const [receipt, setReceipt] = useState('');
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const status = useRef(null);

  const check = async (text = receipt, k = key) => {
    if (!text.trim()) return;
    setBusy(true);
    try {
      const r = await verifyReceipt(text, { pinnedKey: k });
      setResult(r);
      performance.mark('passline:receipt-verified');
    } finally {
      setBusy(false);
      if (status.current) status.current.focus();
    }
  };
  const takeFile = async (file) => {
    if (!file) return;
    const text = await readText(file);
    setName(file.name);
    setReceipt(text);
    await check(text, key);
  };
  const drop = (e) => {
    e.preventDefault();
    setOver(false);
    takeFile(e.dataTransfer && e.dataTransfer.files[0]);
  };
  const s = result && result.summary;
  return (
    <section aria-labelledby="v-h">
      <h1 id="v-h">{t.verifyTitle}</h1>
      <p class="help">{t.verifyIntro}</p>
      <form class="card" onSubmit={(e) => { e.preventDefault(); check(); }}>
        <div id="receipt-drop" class={'drop' + (over ? ' over' : '')}
          onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={drop}>
          <label for="receipt-file">{t.receiptFile}</label>
          <input id="receipt-file" type="file" accept=".json,application/json" aria-describedby="receipt-help"
            onChange={(e) => takeFile(e.target.files[0])} />
          <p id="receipt-help" class="help">{t.receiptHelp}</p>
          {name ? <p>{t.receiptLoaded(name)}</p> : null}
        </div>
        <label for="receipt-text">{t.receiptText}</label>
        <textarea id="receipt-text" rows="3" spellcheck={false} value={receipt}
          onInput={(e) => { setReceipt(e.target.value); setName(''); }} />
        <label for="pubkey">{t.pubkey}</label>
        <input id="pubkey" type="text" spellcheck={false} autocomplete="off" aria-describedby="pubkey-help"
          value={key} onInput={(e) => setKey(e.target.value)} placeholder="log.example/passline+1a2b3c4d+AQ…" />
        <label for="pubkey-file" class="sub">{t.pubkeyFile}</label>
        <input id="pubkey-file" type="file" accept=".pub,.txt,text/plain"
          onChange={async (e) => e.target.files[0] && setKey((await readText(e.target.files[0])).trim())} />
        <p id="pubkey-help" class="help">{t.pubkeyHelp}</p>
        <button type="submit" disabled={busy || !receipt.trim()}>{t.verify}</button>
      </form>
      <div role="status" aria-live="polite" tabIndex={-1} ref={status} id="verdict">
        {result ? (
          <p class={result.ok ? 'ok' : 'problem'}>
            <strong>{result.ok ? t.verified : t.notVerified}</strong>{' '}
            {result.ok ? '' : <><code>{result.error.code}</code> {t.checkReasons[result.error.code] || ''}</>}
          </p>
        ) : null}
        {s && s.trusted_receipt_key ? (
          <p class="warn" id="trust-warning">{t.trustedReceiptKey(s.signer.name, s.signer.keyId)}</p>
        ) : null}
      </div>
      {s ? <h2 id="summary-h">{result.ok ? t.summaryVerified : t.summaryClaimed}</h2> : null}
      {s ? (
        <dl class="facts" id="receipt-summary" aria-labelledby="summary-h">
          <dt>{t.id}</dt><dd>{s.recruitment}</dd><dt>{t.unit}</dt><dd>{s.unit}</dd>
          <dt>{t.applicantId}</dt><dd>{s.applicant}</dd><dt>{t.decidedAt}</dt><dd>{s.decided_at}</dd>
          <dt>{t.logOrigin}</dt><dd>{s.log_origin}</dd><dt>{t.treeSize}</dt><dd>{s.tree_size}</dd>
          <dt>{t.checkpointTime}</dt><dd>{s.checkpoint_time || '—'}</dd>
          <dt>{t.signer}</dt><dd>{s.signer.name} · {t.keyId} <code>{s.signer.keyId}</code></dd>
          {result.ok ? <><dt>{t.local}</dt><dd>{s.local.join(', ') || '—'}</dd>
            <dt>{t.outcome}</dt><dd><ul class="plain" id="receipt-outcomes">{s.outcomes.map((o) => (
              <li key={o.stage}>{o.stage}: <code>{o.outcome}</code>{o.program ? ` (${o.program})` : ''}</li>
            ))}</ul></dd></> : null}
          {result.ok && s.inputs ? <><dt>{t.receiptInputs}</dt>
            <dd><pre id="receipt-inputs">{JSON.stringify(s.inputs, null, 1)}</pre></dd></> : null}
        </dl>
      ) : null}
      {result ? <CheckTable t={t} checks={result.checks} id="receipt-checks" /> : null}
    </section>
  );
}
