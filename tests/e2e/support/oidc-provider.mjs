// A minimal OpenID Connect provider for the browser tests: discovery, a sign-in page where the
// tester types an email (as at a real identity provider), the code grant with PKCE, an RS256
// id_token and its JWKS. It lets the tests sign in through Auth.js's generic OIDC provider
// exactly as a deployment would, without reaching the internet.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import http from "node:http";

const b64url = (buf) => Buffer.from(buf).toString("base64url");

export function startOidcProvider({ port, clientId, clientSecret }) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: "e2e", alg: "RS256", use: "sig" };
  const codes = new Map();

  const idToken = (claims) => {
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "e2e" }));
    const body = b64url(JSON.stringify(claims));
    return `${header}.${body}.${b64url(sign("sha256", Buffer.from(`${header}.${body}`), privateKey))}`;
  };
  const json = (res, status, value) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
  const form = async (req) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    return new URLSearchParams(text);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      });
    }
    if (url.pathname === "/jwks") return json(res, 200, { keys: [jwk] });
    if (url.pathname === "/authorize" && req.method === "GET") {
      if (url.searchParams.get("client_id") !== clientId) return json(res, 400, { error: "unauthorized_client" });
      const hidden = [...url.searchParams].map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/"/g, "&quot;")}">`).join("");
      return res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>Test SSO</title><form method="post" action="/authorize">${hidden}<label>Email <input name="login_email" type="email"></label><button>Continue</button></form>`);
    }
    if (url.pathname === "/authorize" && req.method === "POST") {
      const p = await form(req);
      const code = b64url(randomBytes(16));
      codes.set(code, { email: p.get("login_email"), nonce: p.get("nonce"), challenge: p.get("code_challenge"), redirect: p.get("redirect_uri") });
      const back = new URL(p.get("redirect_uri"));
      back.searchParams.set("code", code);
      if (p.get("state")) back.searchParams.set("state", p.get("state"));
      back.searchParams.set("iss", issuer);
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === "/token" && req.method === "POST") {
      const p = await form(req);
      const basic = (req.headers.authorization ?? "").replace(/^Basic /, "");
      const [id, secret] = basic ? Buffer.from(basic, "base64").toString().split(":").map(decodeURIComponent) : [p.get("client_id"), p.get("client_secret")];
      if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: "invalid_client" });
      const grant = codes.get(p.get("code") ?? "");
      codes.delete(p.get("code") ?? "");
      if (!grant || grant.redirect !== p.get("redirect_uri")) return json(res, 400, { error: "invalid_grant" });
      if (grant.challenge && createHash("sha256").update(p.get("code_verifier") ?? "").digest("base64url") !== grant.challenge) return json(res, 400, { error: "invalid_grant" });
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: issuer, sub: `sso|${grant.email}`, aud: clientId, iat: now, exp: now + 300, email: grant.email, email_verified: true, name: grant.email.split("@")[0] };
      if (grant.nonce) claims.nonce = grant.nonce;
      return json(res, 200, { access_token: b64url(JSON.stringify({ email: grant.email })), token_type: "Bearer", expires_in: 300, id_token: idToken(claims) });
    }
    if (url.pathname === "/userinfo") {
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      try {
        const { email } = JSON.parse(Buffer.from(token, "base64url").toString());
        return json(res, 200, { sub: `sso|${email}`, email, email_verified: true, name: email.split("@")[0] });
      } catch {
        return json(res, 401, { error: "invalid_token" });
      }
    }
    json(res, 404, { error: "not_found" });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ issuer, close: () => server.close() })));
}
