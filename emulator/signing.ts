// The tenant's JWT signing key (RS256, made once and kept in the state) and the JWTs it signs, all through jose.
import * as jose from "jose";
import type { TenantStore } from "./store";

const ALG = "RS256";
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi"];

/** Signs and verifies the tenant's JWTs; publishes the public half as a JWKS. */
export class SigningKey {
  private constructor(
    private readonly privateKey: jose.CryptoKey,
    private readonly publicKey: jose.CryptoKey,
    private readonly publicJwk: jose.JWK,
  ) {}

  /** Loads the key from the state, making and saving one on first start. */
  static async load(store: TenantStore): Promise<SigningKey> {
    let jwk = store.state.signingKey as jose.JWK | undefined;
    if (!jwk) {
      const pair = await jose.generateKeyPair(ALG, { extractable: true });
      const made = await jose.exportJWK(pair.privateKey);
      made.kid = await jose.calculateJwkThumbprint(made);
      made.alg = ALG;
      made.use = "sig";
      jwk = await store.update(
        (draft) => (draft.signingKey = draft.signingKey ?? (made as Record<string, unknown>)) as jose.JWK,
      );
    }
    const publicJwk: jose.JWK = Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.includes(k)));
    const privateKey = (await jose.importJWK(jwk, ALG)) as jose.CryptoKey;
    const publicKey = (await jose.importJWK(publicJwk, ALG)) as jose.CryptoKey;
    return new SigningKey(privateKey, publicKey, publicJwk);
  }

  get kid(): string {
    return this.publicJwk.kid as string;
  }

  /** The JWKS document of /.well-known/jwks.json/. */
  jwks(): { keys: jose.JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** Signs an access token (RFC 9068 style); times in epoch seconds are part of `claims`. */
  sign(claims: jose.JWTPayload): Promise<string> {
    return new jose.SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: "at+jwt" })
      .sign(this.privateKey);
  }

  /** The claims of a token this key signed for `issuer` that has not expired at `nowMs`; undefined otherwise. */
  async verify(token: string, issuer: string, nowMs: number): Promise<jose.JWTPayload | undefined> {
    try {
      const { payload } = await jose.jwtVerify(token, this.publicKey, {
        issuer,
        algorithms: [ALG],
        currentDate: new Date(nowMs),
      });
      return payload;
    } catch {
      return undefined;
    }
  }
}

/** Whether a string has the shape of a compact JWS (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}
