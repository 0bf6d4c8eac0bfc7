/**
 * Command-line flags that fill fields of a request. One table per command declares the flags,
 * builds the input from them, and names the flag next to the field in error messages.
 */
import type { Command, Option } from 'commander';

export interface FieldFlag {
  option: Option;
  /** Where the value goes in the request, e.g. ['member', 'phone']. */
  path: string[];
  /** Turns the flag's text into the field's value (reading a file, splitting a list). */
  parse?: (raw: string) => unknown;
}

export function addFieldFlags(command: Command, flags: readonly FieldFlag[]): Command {
  for (const f of flags) command.addOption(f.option);
  return command;
}

/** Sets each given flag's value on `base` (from --file or --json); flags win. */
export function applyFieldFlags(
  base: Record<string, unknown>,
  opts: Record<string, unknown>,
  flags: readonly FieldFlag[],
): Record<string, unknown> {
  const result = structuredClone(base);
  for (const f of flags) {
    const raw = opts[f.option.attributeName()];
    if (raw === undefined) continue;
    setPath(result, f.path, f.parse && typeof raw === 'string' ? f.parse(raw) : raw);
  }
  return result;
}

/** `member.phone` → `--phone`, for error messages. */
export function flagHints(flags: readonly FieldFlag[]): Map<string, string> {
  const hints = new Map<string, string>();
  for (const f of flags) {
    const key = f.path.join('.');
    if (!hints.has(key) && f.option.long) hints.set(key, f.option.long);
  }
  return hints;
}

/** Which of the table's flags were given on the command line. */
export function givenFlags(opts: Record<string, unknown>, flags: readonly FieldFlag[]): FieldFlag[] {
  return flags.filter((f) => opts[f.option.attributeName()] !== undefined);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = target[head];
  const next =
    typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  target[head] = next;
  setPath(next, rest, value);
}
