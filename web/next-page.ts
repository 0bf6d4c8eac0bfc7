/** Where to go after signing in: only a local path, so sign-in cannot be used to send people elsewhere. */
export const safeNext = (next: string | undefined): string =>
  next && /^\/[a-z]/.test(next) && !next.startsWith('//') ? next : '/transfers';
