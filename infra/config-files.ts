/** Loads the county's JSON configuration files, validated; errors name the file and the field. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { Directory } from '../domain/directory';
import { Policy } from '../domain/policy';
import { ConfigError } from './config';

function loadJsonFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid ${file}:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const loadDirectory = (file: string): Directory => loadJsonFile(file, Directory);
export const loadPolicy = (file: string): Policy => loadJsonFile(file, Policy);
