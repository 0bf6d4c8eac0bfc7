/**
 * A real OpenID provider for the sign-in tests: `oidc-provider` (ESM, so it runs in its own
 * process, as a county's provider would) with one confidential client and its built-in login
 * and consent pages, which accept any user name. Each user's groups come from OIDC_GROUPS
 * (JSON: user name → groups); groups reach the app from the userinfo endpoint, not the ID token.
 */
import Provider from 'oidc-provider';

const { OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_GROUPS } = process.env;
const groups = JSON.parse(OIDC_GROUPS ?? '{}');

const provider = new Provider(`http://localhost:${OIDC_PORT}`, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      redirect_uris: [OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  scopes: ['openid', 'profile', 'groups'],
  claims: { openid: ['sub'], profile: ['preferred_username'], groups: ['groups'] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, preferred_username: id, groups: groups[id] ?? [] }),
  }),
  cookies: { keys: ['tests-only-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});

provider.listen(Number(OIDC_PORT), () => console.log(`oidc provider listening on ${OIDC_PORT}`));
