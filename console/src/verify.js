// Offline verification of a passline-receipt/1 (docs/AUDIT_LOG.md §3–4), in the browser or in
// Node: the checkpoint's Ed25519 signature (C2SP signed note), the RFC 6962 leaf hash of each
// entry and its RFC 9162 inclusion proof up to the signed root, and the applicant's outcomes
// against the recruitment header, in the order and with the error codes of the engine's
// verify_receipt() (engine/src/receipt.cc, checkpoint.cc, merkle.cc).
//
// This module imports nothing and uses only WebCrypto (crypto.subtle.digest, .verify) and
// TextEncoder: it makes no network request, so what it says depends on the receipt and the key
// alone.

const subtle = () => globalThis.crypto.subtle;
const utf8 = (s) => new TextEncoder().encode(s);

// ---- bytes ---------------------------------------------------------------------------------------

export function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** 64 hex digits (either case, as the engine's hash_from_hex) → 32 bytes, or null. */
export function hashFromHex(text) {
  if (typeof text !== 'string' || !/^[0-9a-fA-F]{64}$/.test(text)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding, canonical (zero pad bits), as the engine's base64_decode. */
export function base64Decode(text) {
  if (typeof text !== 'string' || text.length % 4) return null;
  const out = [];
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let pad = 0;
    if (last && text[i + 3] === '=') pad = text[i + 2] === '=' ? 2 : 1;
    let v = 0;
    for (let k = 0; k < 4; k++) {
      let d = 0;
      if (k < 4 - pad) {
        d = B64.indexOf(text[i + k]);
        if (d < 0) return null;
      }
      v = v * 64 + d;
    }
    if (pad === 1 && v & 0xff) return null;
    if (pad === 2 && v & 0xffff) return null;
    out.push((v >>> 16) & 0xff);
    if (pad < 2) out.push((v >>> 8) & 0xff);
    if (pad < 1) out.push(v & 0xff);
  }
  return new Uint8Array(out);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function sha256(bytes) {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

// ---- the Merkle tree (RFC 6962 / RFC 9162) -------------------------------------------------------

/** SHA-256(0x00 || entry): the leaf hash of an entry's bytes (a string is taken as UTF-8). */
export const leafHash = (entry) => sha256(concat([0], typeof entry === 'string' ? utf8(entry) : entry));
export const nodeHash = (left, right) => sha256(concat([1], left, right));

/** RFC 9162 §2.1.3.2. index and size: integers (BigInt inside: sizes reach 2^64). */
export async function verifyInclusion(index, size, leaf, proof, root) {
  let fn = BigInt(index);
  let sn = BigInt(size) - 1n;
  if (fn > sn) return false;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) return false;
    if (fn & 1n || fn === sn) {
      r = await nodeHash(p, r);
      while (!(fn & 1n) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equal(r, root);
}

/** RFC 9162 §2.1.4.2: the tree of size m is a prefix of the tree of size n. */
export async function verifyConsistency(m, n, rootM, rootN, proof) {
  m = BigInt(m);
  n = BigInt(n);
  if (m > n) return false;
  if (m === n) return proof.length === 0 && equal(rootM, rootN);
  if (m === 0n) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = (m & (m - 1n)) === 0n ? [rootM, ...proof] : [...proof];
  let fn = m - 1n;
  let sn = n - 1n;
  while (fn & 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0n) return false;
    if (fn & 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!(fn & 1n) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return equal(fr, rootM) && equal(sr, rootN) && sn === 0n;
}

// ---- canonical JSON (RFC 8785 for the log's integer-only JSON) --------------------------------

const wellFormed = (s) => !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));

function canon(v) {
  if (typeof v === 'string' && !wellFormed(v)) throw new Error('lone surrogate');
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw new Error('unsupported_number');
    return String(v);
  }
  if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
  // Members sorted by UTF-16 code units: JavaScript's default sort order.
  if (!Object.keys(v).every(wellFormed)) throw new Error('lone surrogate');
  return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
}

/** Whether `text` is exactly the RFC 8785 form of the JSON it holds (integers only). */
export function isCanonical(text) {
  try {
    return canon(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

// ---- signed notes and checkpoints (C2SP) ------------------------------------------------------

export class VerifyError extends Error {
  constructor(code, path, message) {
    super(message);
    this.code = code;
    this.path = path;
  }
}
const fail = (code, path, message) => {
  throw new VerifyError(code, path, message);
};

const validKeyName = (name) => name.length > 0 && ![...name].some((c) => c.charCodeAt(0) <= 0x20 || c === '\x7f' || c === '+');

/** Valid UTF-16 (no lone surrogate) without control characters other than '\n'. */
const cleanText = (s) => !/[\x00-\x09\x0b-\x1f\x7f]/.test(s) && wellFormed(s);

async function keyHash(name, publicKey) {
  return (await sha256(concat(utf8(name), [0x0a, 0x01], publicKey))).slice(0, 4);
}

/**
 * A note verifier key `<name>+<8 hex key hash>+<base64(0x01 || 32-byte Ed25519 key)>` (what
 * `passline keys init` writes to FILE.pub; surrounding whitespace ignored, as `verify-receipt
 * --pubkey` does) → {name, keyId, publicKey, text}. Throws VerifyError bad_verifier_key.
 */
export async function parseVerifierKey(text) {
  const k = String(text).trim();
  const bad = (why) => fail('bad_verifier_key', 'verifier_key',
    `"${k}" is not a note verifier key <name>+<8 hex digits>+<base64(0x01 || Ed25519 key)>: ${why}`);
  const p1 = k.indexOf('+');
  if (p1 < 0) bad("no '+'");
  const p2 = k.indexOf('+', p1 + 1);
  if (p2 < 0) bad("one '+' only");
  const name = k.slice(0, p1);
  if (!validKeyName(name)) bad('bad name');
  const keyId = k.slice(p1 + 1, p2);
  if (!/^[0-9a-fA-F]{8}$/.test(keyId)) bad('the key hash is not 8 hex digits');
  const raw = base64Decode(k.slice(p2 + 1));
  if (!raw) bad('the key is not base64');
  if (raw.length !== 33 || raw[0] !== 0x01) bad('the key is not 0x01 followed by 32 bytes (Ed25519)');
  const publicKey = raw.slice(1);
  if (toHex(await keyHash(name, publicKey)) !== keyId.toLowerCase()) bad('the key hash does not match');
  return { name, keyId: keyId.toLowerCase(), publicKey, text: k };
}

/** Splits a signed note into its text (up to and with the newline before the blank line) and signature lines. */
export function splitNote(note) {
  const malformed = (why) => fail('malformed_note', 'note', 'not a signed note: ' + why);
  if (typeof note !== 'string') malformed('not text');
  if (!cleanText(note)) malformed('invalid UTF-8 or a control character');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const sigs = note.slice(split + 2);
  if (!sigs || !sigs.endsWith('\n')) malformed("the signature lines must end in '\\n'");
  const lines = sigs.slice(0, -1).split('\n');
  if (lines.length > 100) malformed('more than 100 signatures');
  const signatures = lines.map((line) => {
    if (!line.startsWith('\u2014 ')) malformed('a signature line must begin with "— "');
    const rest = line.slice(2);
    const space = rest.indexOf(' ');
    if (space < 0) malformed('a signature line is "— name signature"');
    const name = rest.slice(0, space);
    if (!validKeyName(name)) malformed('a bad signer name');
    const blob = base64Decode(rest.slice(space + 1));
    if (!blob || blob.length < 5) malformed('a signature is not base64 of a key hash and signature');
    return { name, keyId: toHex(blob.slice(0, 4)), signature: blob.slice(4) };
  });
  return { text, signatures };
}

async function ed25519Verify(publicKey, message, signature) {
  try {
    const key = await subtle().importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await subtle().verify({ name: 'Ed25519' }, key, signature, message);
  } catch {
    return false;
  }
}

/** The engine's verify_note(): every signature by the key must verify, and there must be one. */
export async function verifyNote(note, key) {
  const { text, signatures } = splitNote(note);
  let found = false;
  for (const s of signatures) {
    if (s.name !== key.name || s.keyId !== key.keyId) continue; // another signer
    if (!(await ed25519Verify(key.publicKey, utf8(text), s.signature)))
      fail('bad_signature', 'note', `the signature by ${key.name}+${key.keyId} does not verify: the note was altered or signed by another key`);
    found = true;
  }
  if (!found) fail('bad_signature', 'note', `the note carries no signature by ${key.name}+${key.keyId}`);
  return text;
}

const rfc3339utc = (t) => {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?Z$/.exec(t);
  if (!m) return false;
  const [mo, d, h, mi, s] = m.slice(2, 7).map(Number);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
};

/** The checkpoint body (C2SP tlog-checkpoint): {origin, size (BigInt), root (32 bytes), time}. */
export function parseCheckpoint(text) {
  const bad = (path, why) => fail('bad_checkpoint', path, why);
  const lines = text.split('\n');
  lines.pop(); // the text ends in '\n'
  if (lines.length < 3) bad('note', 'a checkpoint has at least three lines: origin, size, root');
  const origin = lines[0];
  if (!origin) bad('origin', 'the origin line is empty');
  const size = lines[1];
  if (!/^(0|[1-9][0-9]{0,19})$/.test(size)) bad('tree_size', 'the size line is not a decimal number without leading zeros');
  if (BigInt(size) > 0xffffffffffffffffn) bad('tree_size', 'the size does not fit in 64 bits');
  const root = base64Decode(lines[2]);
  if (!root || root.length !== 32) bad('root', 'the root line is not base64 of 32 bytes');
  let time = '';
  let times = 0;
  for (const l of lines.slice(3)) {
    if (!l) bad('note', 'an extension line is empty');
    if (!l.startsWith('time ')) continue;
    times++;
    time = l.slice(5);
    if (!rfc3339utc(time)) bad('time', `"${time}" is not an RFC 3339 UTC time`);
  }
  if (times > 1) bad('time', 'a checkpoint has at most one `time` line');
  return { origin, size: BigInt(size), root, time };
}

/** The engine's verify_checkpoint(): the signature, then the body. */
export async function verifyCheckpoint(note, verifierKey) {
  const key = typeof verifierKey === 'string' ? await parseVerifierKey(verifierKey) : verifierKey;
  return parseCheckpoint(await verifyNote(note, key));
}

// ---- receipts ------------------------------------------------------------------------------------

export const RECEIPT_FORMAT = 'passline-receipt/1';
/** passline-log/3: the commitment to an opening, SHA-256("passline-commitment/1" || 0x00 || opening). */
export const openingCommitment = async (opening) =>
  toHex(await sha256(concat(utf8('passline-commitment/1'), [0], utf8(opening))));
const isSalt = (s) => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
const OUTCOMES = ['pass_rank', 'pass_tie', 'pass_additional', 'fail_disqualified', 'fail_below_cut', 'not_reached'];
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v) => Number.isSafeInteger(v) && v >= 0;

function field(obj, key, where, type) {
  if (!isObject(obj)) fail('bad_receipt', where || '$', 'expected an object');
  const w = where ? where + '.' + key : key;
  if (!(key in obj)) fail('bad_receipt', w, `the field '${key}' is missing`);
  const v = obj[key];
  const ok = type === 'string' ? typeof v === 'string' : type === 'count' ? isCount(v) : Array.isArray(v);
  if (!ok) fail('bad_receipt', w, 'expected ' + (type === 'string' ? 'a string' : type === 'count' ? 'a whole number' : 'an array'));
  return v;
}

/**
 * Checks a receipt (its text) as `passline audit verify-receipt` does, every check that can run
 * on its own rather than stopping at the first failure. `pinnedKey`: the log's verifier key
 * (text), or empty to use the key the receipt names (--trust-receipt-key).
 *
 * Returns {ok, checks, summary, error}: `checks` in the CLI's order, each {id, holds: true |
 * false | null (could not run), code, path, detail, subject?}; `error` is the first failure
 * {code, path, detail}, what the CLI reports; `summary` what a verified receipt proves.
 */
export async function verifyReceipt(text, { pinnedKey = '' } = {}) {
  const checks = [];
  const add = (id, holds, extra = {}) => checks.push({ id, holds, code: null, path: null, detail: '', ...extra });
  const run = async (id, fn, extra = {}) => {
    try {
      const value = await fn();
      add(id, true, { ...extra, ...(value && value.info ? { detail: value.info } : {}) });
      return value;
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      add(id, false, { ...extra, code: e.code, path: e.path, detail: e.message });
      return undefined;
    }
  };
  const skip = (id, extra = {}) => add(id, null, extra);
  const finish = (summary) => {
    const first = checks.find((c) => c.holds === false);
    return { ok: !first, checks, summary: summary || null,
      error: first ? { code: first.code, path: first.path, detail: first.detail } : null };
  };

  // 1. The document and its format.
  const doc = await run('format', () => {
    let d;
    try {
      d = JSON.parse(text);
    } catch (e) {
      fail('bad_receipt', '$', 'the receipt is not JSON: ' + e.message);
    }
    if (!isObject(d)) fail('bad_receipt', '$', 'a receipt is a JSON object');
    if (field(d, 'format', '', 'string') !== RECEIPT_FORMAT) fail('bad_receipt', 'format', `expected "${RECEIPT_FORMAT}"`);
    field(d, 'verifier_key', '', 'string');
    field(d, 'checkpoint', '', 'string');
    return d;
  });
  if (!doc) {
    for (const id of ['key', 'signature', 'checkpoint', 'origin_size', 'entries', 'recruitment', 'outcomes']) skip(id);
    return finish();
  }

  // 2. Which key: the pinned one must be the one the receipt names.
  const embedded = doc.verifier_key;
  const pinned = String(pinnedKey || '').trim();
  const keyText = pinned || embedded;
  await run('key', async () => {
    if (pinned && pinned !== embedded)
      fail('key_mismatch', 'verifier_key', `the receipt names key "${embedded}", not the pinned "${pinned}"`);
    await parseVerifierKey(keyText);
    return { info: pinned ? 'pinned' : 'receipt' };
  }, { pinned: !!pinned, signer: signerOf(keyText) });

  // 3. The checkpoint's signature (with the pinned key when given, as the CLI).
  let key = null;
  try {
    key = await parseVerifierKey(keyText);
  } catch {
    key = null;
  }
  if (key) {
    await run('signature', async () => {
      try {
        await verifyNote(doc.checkpoint, key);
      } catch (e) {
        if (e instanceof VerifyError) e.path = 'checkpoint' + (e.path ? ` (${e.path})` : '');
        throw e;
      }
    }, { signer: { name: key.name, keyId: key.keyId } });
  } else {
    const e = await parseVerifierKey(keyText).catch((x) => x);
    add('signature', false, { code: e.code, path: e.path, detail: e.message });
  }

  // 4. The checkpoint's body (read even when the signature fails, to show what it claims).
  const cp = await run('checkpoint', async () => {
    try {
      return parseCheckpoint(splitNote(doc.checkpoint).text);
    } catch (e) {
      if (e instanceof VerifyError && e.code !== 'bad_verifier_key')
        e.path = 'checkpoint' + (e.path ? ` (${e.path})` : '');
      throw e;
    }
  });

  // 5. The receipt's origin and size against the checkpoint's.
  if (cp) {
    await run('origin_size', () => {
      field(doc, 'log_origin', '', 'string');
      field(doc, 'tree_size', '', 'count');
      if (doc.log_origin !== cp.origin)
        fail('receipt_mismatch', 'log_origin', `the log origin differs from the checkpoint's "${cp.origin}"`);
      if (BigInt(doc.tree_size) !== cp.size)
        fail('receipt_mismatch', 'tree_size', `the tree size differs from the checkpoint's ${cp.size}`);
    });
  } else skip('origin_size');

  // 6. Each entry: canonical, its leaf hash, its inclusion proof under the checkpoint's root.
  const parsed = [];
  if (!Array.isArray(doc.entries)) add('entry_format', false, { code: 'bad_receipt', path: 'entries', detail: 'expected an array' });
  for (let i = 0; i < (Array.isArray(doc.entries) ? doc.entries.length : 0); i++) {
    const w = `entries[${i}]`;
    const item = doc.entries[i];
    let entry = null;
    let index = null;
    const ok = await run('entry_format', () => {
      index = field(item, 'index', w, 'count');
      entry = field(item, 'entry', w, 'string');
      field(item, 'inclusion_proof', w, 'array');
      return true;
    }, { entry: i });
    if (!ok) {
      skip('canonical', { entry: i });
      skip('inclusion', { entry: i });
      continue;
    }
    await run('canonical', () => {
      if (!isCanonical(entry)) fail('not_canonical', w + '.entry', 'the entry is not RFC 8785 canonical JSON');
    }, { entry: i, index });
    const leaf = await leafHash(entry);
    await run('inclusion', async () => {
      const proof = item.inclusion_proof.map((h, k) => {
        const b = hashFromHex(h);
        if (!b) fail('bad_receipt', `${w}.inclusion_proof[${k}]`, 'expected 64 hex digits');
        return b;
      });
      if (!cp) fail('bad_inclusion_proof', w + '.inclusion_proof', 'no checkpoint root to prove against');
      if (!(await verifyInclusion(index, cp.size, leaf, proof, cp.root)))
        fail('bad_inclusion_proof', w + '.inclusion_proof',
          `the entry is not leaf ${index} of the checkpoint's tree of ${cp.size}`);
      return { info: `${proof.length}` };
    }, { entry: i, index, leaf: toHex(leaf), root: cp ? toHex(cp.root) : null });
    let value = null;
    try {
      value = JSON.parse(entry);
    } catch {
      value = null;
    }
    parsed.push({ i, w, index, value });
  }

  // 7. One header and one applicant entry of the same recruitment, in its block.
  let header = null;
  let applicant = null;
  const summary = await run('entries', () => {
    for (const p of parsed) {
      const type = isObject(p.value) && typeof p.value.type === 'string' ? p.value.type : '';
      if (type !== 'recruitment' && type !== 'applicant')
        fail('bad_receipt', p.w + '.entry', 'an entry of type recruitment or applicant was expected');
      if (type === 'recruitment') {
        if (header) fail('bad_receipt', p.w, 'a receipt holds one recruitment entry');
        header = p;
      } else {
        if (applicant) fail('bad_receipt', p.w, 'a receipt holds one applicant entry');
        applicant = p;
      }
    }
    if (!header) fail('bad_receipt', 'entries', "the recruitment's header entry is missing");
    if (!applicant) fail('bad_receipt', 'entries', "the applicant's entry is missing");
    const h = header.value;
    const a = applicant.value;
    // passline-log/3: the applicant's id and inputs are in the receipt's opening (checked below).
    const committed = isObject(a) && 'commitment' in a;
    return {
      recruitment: field(h, 'recruitment', 'header', 'string'),
      decided_at: field(h, 'decided_at', 'header', 'string'),
      unit: field(a, 'unit', 'applicant', 'string'),
      applicant: committed ? '' : field(a, 'applicant', 'applicant', 'string'),
      committed,
      inputs: null,
      verifier_key: keyText,
      signer: signerOf(keyText),
      trusted_receipt_key: !pinned,
      log_origin: cp ? cp.origin : doc.log_origin,
      tree_size: cp ? String(cp.size) : String(doc.tree_size),
      checkpoint_time: cp ? cp.time : '',
      local: [],
      outcomes: [],
    };
  });
  if (!summary) {
    skip('opening');
    skip('recruitment');
    skip('outcomes');
    return finish();
  }
  const h = header.value;
  const a = applicant.value;
  // 7b. passline-log/3: the opening the receipt carries hashes to the entry's commitment, so the
  // inputs it shows are the ones the decision used.
  if (summary.committed) {
    await run('opening', async () => {
      const commitment = field(a, 'commitment', 'applicant', 'string');
      if (typeof doc.opening !== 'string')
        fail('bad_opening', 'opening', "the applicant's entry holds a commitment; the receipt carries no opening to check");
      if (!isCanonical(doc.opening)) fail('bad_opening', 'opening', 'the opening is not RFC 8785 canonical JSON');
      if ((await openingCommitment(doc.opening)) !== commitment)
        fail('bad_opening', 'opening',
          "the opening does not hash to the commitment of the applicant's entry: these are not the inputs the log holds");
      const o = JSON.parse(doc.opening);
      if (!isObject(o) || !isObject(o.inputs) || typeof o.inputs.applicant !== 'string' || !isSalt(o.salt))
        fail('bad_opening', 'opening', 'the opening names no applicant or has no salt');
      summary.applicant = o.inputs.applicant;
      summary.inputs = o.inputs;
      return { info: 'log/3' };
    });
  } else if ('opening' in doc) {
    add('opening', false, { code: 'bad_receipt', path: 'opening', detail: "the applicant's entry holds no commitment to open" });
  } else skip('opening');
  const unit = await run('recruitment', () => {
    if (field(a, 'recruitment', 'applicant', 'string') !== summary.recruitment)
      fail('wrong_recruitment', 'applicant.recruitment',
        `the applicant entry belongs to another recruitment than the header's "${summary.recruitment}"`);
    const units = field(h, 'units', 'header', 'array');
    let found = null;
    let block = 0;
    for (const u of units) {
      if (isObject(u) && u.id === summary.unit) found = u;
      if (isObject(u) && isCount(u.applicants)) block += u.applicants;
    }
    if (!found) fail('wrong_recruitment', 'applicant.unit', `the header has no unit "${summary.unit}"`);
    if (applicant.index <= header.index || applicant.index > header.index + block)
      fail('wrong_recruitment', 'entries',
        `the applicant entry (index ${applicant.index}) lies outside the header's block of entries ${header.index + 1}..${header.index + block}`);
    return found;
  });
  if (!unit) {
    skip('outcomes');
    return finish(summary);
  }

  // 8. The values: the applicant's outcomes are ones the header's unit and stages allow.
  await run('outcomes', () => {
    const programs = [];
    for (const p of field(h, 'programs', 'header', 'array'))
      for (const k of ['id', 'program']) // passline-log/1 names it id, /2 program
        if (isObject(p) && typeof p[k] === 'string') programs.push(p[k]);
    const stages = field(unit, 'stages', 'header.units', 'array');
    const local = field(a, 'local', 'applicant', 'array');
    local.forEach((l, i) => {
      if (typeof l !== 'string' || !programs.includes(l))
        fail('bad_outcome', `applicant.local[${i}]`, "the applicant's group names a program the header does not list");
      summary.local.push(l);
    });
    const outcomes = field(a, 'outcomes', 'applicant', 'array');
    if (outcomes.length !== stages.length)
      fail('bad_outcome', 'applicant.outcomes', `the applicant has ${outcomes.length} outcomes; the unit has ${stages.length} stages`);
    outcomes.forEach((o, k) => {
      const w = `applicant.outcomes[${k}]`;
      const stage = field(o, 'stage', w, 'string');
      const outcome = field(o, 'outcome', w, 'string');
      const st = stages[k];
      if (!isObject(st) || st.name !== stage)
        fail('bad_outcome', w + '.stage', `outcome ${k} names stage "${stage}", not the unit's stage ${k}`);
      if (!OUTCOMES.includes(outcome)) fail('bad_outcome', w + '.outcome', `"${outcome}" is not an outcome`);
      const additional = outcome === 'pass_additional';
      if (additional !== 'program' in o)
        fail('bad_outcome', w + '.program', additional ? 'pass_additional names the program that added the pass'
          : 'only pass_additional names a program');
      if (Object.keys(o).length !== (additional ? 3 : 2))
        fail('bad_outcome', w, 'an outcome has stage, outcome and (pass_additional) program');
      if (outcome.startsWith('pass_') && !(isCount(st.passed) && st.passed >= 1))
        fail('bad_outcome', w + '.outcome', `the applicant passed stage "${stage}", which the header says passed nobody`);
      let program = '';
      if (additional) {
        program = field(o, 'program', w, 'string');
        const added = Array.isArray(st.programs) && st.programs.some((p) =>
          isObject(p) && p.program === program && isCount(p.additional) && p.additional >= 1);
        if (!programs.includes(program) || !added)
          fail('bad_outcome', w + '.program', `the header's stage "${stage}" has no additional pass by "${program}"`);
      }
      summary.outcomes.push({ stage, outcome, program });
    });
  });
  return finish(summary);
}

/** name and key id of a verifier key's text, for showing who signed (no checks). */
export function signerOf(vkey) {
  const s = String(vkey || '');
  const p1 = s.indexOf('+');
  const p2 = s.indexOf('+', p1 + 1);
  return p1 < 0 || p2 < 0 ? { name: s, keyId: '' } : { name: s.slice(0, p1), keyId: s.slice(p1 + 1, p2) };
}
