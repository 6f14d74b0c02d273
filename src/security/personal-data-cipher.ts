import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal data (identity, QF, tokens) is stored only encrypted, with AES-256-GCM under a key derived from
 * PERSONAL_DATA_KEY. Each blob is bound to its row (`context`), so that a blob copied onto another row does not
 * decrypt. Layout: version (1 byte) | IV (12) | tag (16) | ciphertext.
 */
const VERSION = 1;

export interface PersonalDataCipher {
  encrypt(value: unknown, context: string): Buffer;
  /** Throws when the blob was tampered with, belongs to another row or was made with another key. */
  decrypt<T>(blob: Uint8Array, context: string): T;
}

export function createPersonalDataCipher(secret: string): PersonalDataCipher {
  // A KeyObject made once: handed a raw Buffer, every createCipheriv/createDecipheriv imports the key anew, which
  // profiled as about half the cost of decrypting a journey on each page of the journey.
  const key = createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'formulaire-qf', 'personal-data-v1', 32)));
  return {
    encrypt(value, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt<T>(blob: Uint8Array, context: string): T {
      // A view of the blob, not a copy (pg hands a Buffer already).
      const data = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
      if (data.length < 29 || data[0] !== VERSION) throw new Error('unknown personal data format');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(1, 13));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(data.subarray(13, 29));
      const plain = Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    },
  };
}
