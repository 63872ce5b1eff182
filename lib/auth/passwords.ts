// Passwords are stored as argon2id hashes (@node-rs/argon2: maintained, prebuilt, no node-gyp).
import "server-only";
import { hash, verify } from "@node-rs/argon2";

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // Hash anyway when there is no account, so a wrong email takes as long as a wrong password.
  if (!stored) {
    await hash(password);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
