/** The one page of the codec server: staff paste the access token once per browser session. */
export function signInPage(error?: string, signedIn = false): string {
  const body = signedIn
    ? '<p>Signed in. The Temporal UI in this browser now shows decoded payloads (its codec setting must include cross-origin credentials).</p>'
    : `<form method="post" action="/sign-in">
  <label>Codec access token <input type="password" name="token" autocomplete="off" required></label>
  <button type="submit">Sign in</button>
</form>${error ? `<p role="alert">${error}</p>` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Referrals codec server: sign in</title></head>
<body><h1>Referrals codec server</h1>
<p>Decrypts member health information for the Temporal UI. Staff only.</p>
${body}
</body></html>
`;
}
