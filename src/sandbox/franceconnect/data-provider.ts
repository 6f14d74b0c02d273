import { generateKeyPair, type CryptoKey } from 'jose';
import { LOCAL_SECRET_PREFIX } from '../../config/config.ts';

/**
 * The data provider (FD) the FranceConnect stand-in knows: our API Particulier stand-in. FC registers each FD
 * with credentials for /checktoken, the scopes it is entitled to, and the key FC encrypts its answers to
 * (contract §6). Real FC fetches that key from the FD's jwks_uri; here both stand-ins share this module.
 */
export const API_PARTICULIER_DATA_PROVIDER = {
  clientId: 'api-particulier-local',
  clientSecret: `${LOCAL_SECRET_PREFIX}api-particulier-checktoken-do-not-use-in-production-0123456789`,
  /**
   * FC intersects a token's scopes with these before answering. API Particulier is entitled to the identity pivot
   * scopes too: siade refuses a token without them (contracts/api-particulier-qf.md §3.4, §5 step 5).
   */
  scopes: [
    'identite_pivot', 'profile', 'birth', 'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry',
    'cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse',
  ],
  /** The FD's `checktoken_encrypted_response_alg` / `_enc` and `checktoken_signed_response_alg`. */
  encryption: { alg: 'ECDH-ES', enc: 'A256GCM' },
  signingAlg: 'ES256',
} as const;

export type DataProviderRegistration = typeof API_PARTICULIER_DATA_PROVIDER;

let keyPair: Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> | undefined;

/** One key pair per process, made on first use, so that both stand-ins agree on it without any file. */
function dataProviderKeyPair(): Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> {
  keyPair ??= generateKeyPair(API_PARTICULIER_DATA_PROVIDER.encryption.alg, { crv: 'P-256' });
  return keyPair;
}

/** What FC encrypts checktoken answers to. */
export async function dataProviderEncryptionKey(): Promise<CryptoKey> {
  return (await dataProviderKeyPair()).publicKey;
}

/** What the API Particulier stand-in decrypts checktoken answers with. */
export async function dataProviderDecryptionKey(): Promise<CryptoKey> {
  return (await dataProviderKeyPair()).privateKey;
}
