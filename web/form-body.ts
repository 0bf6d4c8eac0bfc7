/** HTML form bodies: repeated keys (checkbox groups) become arrays; empty inputs are absent. */
export type FormBody = Record<string, string | string[]>;

export function parseFormBody(text: string): FormBody {
  const body: FormBody = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const prior = body[key];
    body[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return body;
}

/** One text value, trimmed; undefined when missing or blank, so zod reports "required". */
export function field(body: unknown, key: string): string | undefined {
  const v = (body as FormBody | undefined)?.[key];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

export function fields(body: unknown, key: string): string[] {
  const v = (body as FormBody | undefined)?.[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export const checked = (body: unknown, key: string): boolean => field(body, key) !== undefined;
