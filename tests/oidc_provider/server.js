// A real OpenID Connect provider on loopback for MicroGigs' sign-in tests.
// Configured by environment (set by the pytest fixture in tests/oidc_provider/fixture.py):
//   PORT      the loopback port to listen on
//   CLIENTS   JSON list of oidc-provider client metadata (client_id, client_secret, redirect_uris)
//   ACCOUNTS  JSON object: login name -> claims (email, email_verified, name)
// Sign-in uses oidc-provider's built-in development login form (any password); consent is
// skipped for our first-party client so the flow is: authorize -> login form -> back to the app.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.CLIENTS || '[]');
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');

const provider = new Provider(issuer, {
  clients,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true },
  cookies: { keys: ['microgigs-test-only-cookie-key'] },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
