import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/**
 * The signing keys of the FranceConnect and ProConnect stand-ins. FC names its HSM keys "pkcs11:ES256:hsm"; we
 * add a random suffix so that a restarted stand-in or a rotation never reuses a kid for a different key (a client
 * that cached the old JWKS would then fail on the signature instead of re-fetching the JWKS).
 */
export interface SigningKeyGeneration {
  /** Private JWKs with `kid`, `alg` and `use: 'sig'`, ES256 first: oidc-provider signs with the first match. */
  privateJwks: JWK[];
  /** The ES256 key, also used to sign checktoken answers. */
  es256: { kid: string; privateKey: CryptoKey };
}

export async function generateSigningKeys(): Promise<SigningKeyGeneration> {
  const suffix = randomBytes(4).toString('hex');
  const ec = await generateKeyPair('ES256', { extractable: true });
  const ecKid = `pkcs11:ES256:hsm-${suffix}`;
  const ecJwk: JWK = { ...(await exportJWK(ec.privateKey)), alg: 'ES256', use: 'sig', kid: ecKid };
  // oidc-provider refuses a client whose defaults (RS256 for several metadata) it cannot honour with only an EC key.
  const rsa = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const rsaJwk: JWK = { ...(await exportJWK(rsa.privateKey)), alg: 'RS256', use: 'sig' };
  rsaJwk.kid = await calculateJwkThumbprint({ kty: 'RSA', e: rsaJwk.e, n: rsaJwk.n });
  return { privateJwks: [ecJwk, rsaJwk], es256: { kid: ecKid, privateKey: ec.privateKey } };
}
