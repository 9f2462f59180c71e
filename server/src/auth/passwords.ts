import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's defaults (OWASP's minimums: 19 MiB, 2 iterations). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A real hash of a random string, verified when the email is unknown so that a wrong email and a
// wrong password take the same time.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    dummyHash ??= hash(`parley-dummy-${Math.random()}`);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
