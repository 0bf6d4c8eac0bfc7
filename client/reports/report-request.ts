/**
 * What a report is asked for, from the CLI, the API or the web page: a period of county calendar
 * days (both included), optional filters by directory id, and an optional grouping. Checked
 * against the directory, so a typo is an error naming the field, not an empty report.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { findProgram, findProvider, type Directory } from '../../domain/directory';
import type { ReportScope } from '../../infra/app-db/report-store';
import { parseInput } from '../parse-input';
import { InvalidInputError } from '../service-errors';

export const REPORT_NAMES = ['timeliness', 'linkage', 'scorecard', 'checklist', 'clocks', 'tracking'] as const;
export const ReportName = z.enum(REPORT_NAMES);
export type ReportName = z.infer<typeof ReportName>;

export const GROUPINGS = {
  program: 'sendingProgram',
  provider: 'receivingProvider',
  'case-manager': 'caseManager',
} as const;
type Grouping = keyof typeof GROUPINGS;

const ReportRequest = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    by: z.enum(Object.keys(GROUPINGS) as [Grouping, ...Grouping[]]).optional(),
    program: z.string().trim().min(1).optional(),
    provider: z.string().trim().min(1).optional(),
    caseManager: z.string().trim().min(1).optional(),
  })
  .strict()
  .refine((r) => r.from <= r.to, { path: ['to'], message: 'must not be before from' });
type ReportRequest = z.infer<typeof ReportRequest>;

export interface ParsedReportRequest {
  request: ReportRequest;
  scope: ReportScope;
}

export function parseReportRequest(input: unknown, directory: Directory, timeZone: string): ParsedReportRequest {
  const request = parseInput(ReportRequest, input);
  const unknown = [
    request.program && !findProgram(directory, request.program)
      ? { field: 'program', message: `no sending program "${request.program}" in the directory` }
      : null,
    request.provider && !findProvider(directory, request.provider)
      ? { field: 'provider', message: `no receiving provider "${request.provider}" in the directory` }
      : null,
    request.caseManager && !directory.programs.some((p) => p.caseManagers.some((c) => c.id === request.caseManager))
      ? { field: 'caseManager', message: `no case manager "${request.caseManager}" in the directory` }
      : null,
  ].filter((p) => p !== null);
  if (unknown.length > 0) throw new InvalidInputError(unknown);
  const day = (date: string) => DateTime.fromISO(date, { zone: timeZone });
  return {
    request,
    scope: {
      from: day(request.from).toJSDate(),
      to: day(request.to).plus({ days: 1 }).toJSDate(),
      sendingProgram: request.program,
      receivingProvider: request.provider,
      caseManager: request.caseManager,
    },
  };
}
