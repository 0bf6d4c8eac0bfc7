/** JSON given on the command line or in a file; a problem names the option it came from. */
import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../service-errors';

function parseJsonText(text: string, optionName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError([{ field: optionName, message: `not valid JSON: ${(err as Error).message}` }]);
  }
}

export function readJsonFile(file: string, optionName: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidInputError([
      {
        field: optionName,
        message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      },
    ]);
  }
  return parseJsonText(text, `${optionName} ${file}`);
}

/** The JSON object a request starts from: --file, --json, or nothing. */
export function baseObject(source: { file?: string; json?: string }): Record<string, unknown> {
  if (source.file !== undefined && source.json !== undefined) {
    throw new InvalidInputError([{ field: '--file', message: 'give --file or --json, not both' }]);
  }
  const value =
    source.file !== undefined
      ? readJsonFile(source.file, '--file')
      : source.json !== undefined
        ? parseJsonText(source.json, '--json')
        : {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError([
      { field: source.file !== undefined ? '--file' : '--json', message: 'expected a JSON object' },
    ]);
  }
  return value as Record<string, unknown>;
}
