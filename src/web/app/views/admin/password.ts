// A first password for a new account, shown once to the administrator who hands it over.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

export function randomPassword(length = 14): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  const chars = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]);
  // At least one digit, so that a password read over the phone is never mistaken for a word.
  if (!chars.some((c) => /\d/.test(c))) chars[bytes[0] % length] = String(2 + (bytes[1] % 8));
  return chars.join('');
}

/** The account name rules of the API: 3–64 letters, digits, . _ @ - */
export const USERNAME = /^[A-Za-z0-9._@-]{3,64}$/;
export const MIN_PASSWORD = 10;
