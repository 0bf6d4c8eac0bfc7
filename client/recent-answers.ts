/**
 * Answers to a read kept for a moment and shared: while one call for a key is on its way or for
 * `ttlMs` after, the same call gets the same answer instead of asking again. For the staff list,
 * whose every page is one visibility query: the dev server's SQLite answers about 50 of those a
 * second on two cores, so twenty people looking at the same list would otherwise queue behind
 * each other. Visibility is itself a second or so behind the workflows; this adds at most `ttlMs`.
 */
export class RecentAnswers<T> {
  private readonly answers = new Map<string, { at: number; answer: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys = 1000,
  ) {}

  get(key: string, ask: () => Promise<T>, now = Date.now()): Promise<T> {
    const kept = this.answers.get(key);
    if (kept && now - kept.at < this.ttlMs) return kept.answer;
    if (this.answers.size >= this.maxKeys) this.answers.clear(); // bounded memory whatever is asked
    const answer = ask();
    this.answers.set(key, { at: now, answer });
    // A failure is not kept: the next call asks again.
    answer.catch(() => this.answers.delete(key));
    return answer;
  }
}
