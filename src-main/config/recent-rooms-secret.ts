// How a recent room's secret (the invite, or the host's room secret) is kept at rest: encrypted
// by the system's keychain in the app (Electron safeStorage), or as is inside a file only its
// owner can read (the CLI, and an app whose system has no keychain to offer).

/** Turns a secret into what is written to disk, and back. */
export interface SecretProtector {
  /** 'os': encrypted with a key the system keeps (Electron safeStorage); 'file': readable only in a 0600 file. */
  readonly kind: 'os' | 'file';
  protect(secret: string): string;
  /** Throws when the data cannot be read back (another user's keychain, a damaged file). */
  reveal(data: string): string;
}

/** What Electron's safeStorage offers, as the desktop platform passes it on. */
export interface OsSecretStorage {
  isAvailable(): boolean;
  encrypt(text: string): Buffer;
  decrypt(data: Buffer): string;
}

/** The 0600 file keeps the secret as it is: the file's permissions are the protection. */
export const fileProtector: SecretProtector = {
  kind: 'file',
  protect: (secret) => secret,
  reveal: (data) => data,
};

/**
 * The system's keychain when it has one (the encrypted bytes in base64), else undefined: the
 * caller then keeps no secret at all rather than a weaker one.
 */
export function osProtector(storage: OsSecretStorage | undefined): SecretProtector | undefined {
  if (!storage?.isAvailable()) return undefined;
  return {
    kind: 'os',
    protect: (secret) => storage.encrypt(secret).toString('base64'),
    reveal: (data) => storage.decrypt(Buffer.from(data, 'base64')),
  };
}
