/** `referrals disclosures <memberId>`: a member's accounting of disclosures, as a table, JSON or the PDF letter. */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ApiClient } from '../api-client';
import { localTime, type DisclosureAccounting } from '../disclosure-accounting';
import { renderAccountingLetter } from '../disclosure-letter';

export function addDisclosureCommand(program: Command, api: () => ApiClient, print: (v: unknown) => void): void {
  program
    .command('disclosures')
    .description(
      "a member's accounting of disclosures (45 CFR 164.528, 42 CFR 2.24): when, to whom, what, why, consent",
    )
    .argument('<memberId>', "the county's member id")
    .option('--from <date>', 'first day, like 2026-01-01 (default: six years before --to)')
    .option('--to <date>', 'last day, included (default: today)')
    .addOption(new Option('--format <format>', 'how to print it').choices(['table', 'json']).default('table'))
    .option('--pdf <file>', 'also write the letter for the member to this PDF file')
    .action(async (memberId: string, opts: { from?: string; to?: string; format: string; pdf?: string }) => {
      const now = new Date();
      const accounting = await api().disclosures({ memberId, from: opts.from, to: opts.to });
      if (opts.pdf) writeFileSync(opts.pdf, await renderAccountingLetter(accounting, now));
      print(opts.format === 'json' ? accounting : renderAccounting(accounting));
    });
}

function renderAccounting(a: DisclosureAccounting): string {
  const head = `Disclosures for member ${a.memberId}, ${a.from} to ${a.to} (${a.timeZone}):`;
  if (a.disclosures.length === 0) return `${head}\nNone on record.`;
  const rows = a.disclosures.map((d) =>
    [
      localTime(d.disclosedAt, a.timeZone),
      d.recipient,
      d.categories.join(', '),
      d.purpose,
      d.consentId ?? '-',
      d.referralId,
    ].join(' | '),
  );
  return [head, 'WHEN | RECIPIENT | WHAT | WHY | CONSENT | REFERRAL', ...rows].join('\n');
}
