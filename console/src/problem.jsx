// An API problem (or any error) as the screens show it: one alert with its code, detail and
// field path; problemErrors() lists a validation problem's errors (each by file, row, column).
import { ApiError } from './api.js';

export function Problem({ t, error }) {
  if (!error) return null;
  const p = error instanceof ApiError ? error.problem : { detail: String(error.message || error) };
  return (
    <div class="problem" role="alert">
      <strong>{t.error}</strong> {p.code ? <code>{p.code}</code> : null} {p.detail}
      {p.path ? <> (<code>{p.path}</code>)</> : null}
    </div>
  );
}

export function problemErrors(error) {
  const problem = error instanceof ApiError ? error.problem : null;
  if (!problem) return [];
  return problem.errors || [{ code: problem.code, path: problem.path, detail: problem.detail }];
}
