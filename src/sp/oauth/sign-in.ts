// The RingCentral sign-in of the authorization flow: an email, or a phone number with an optional
// extension, and the user's RingCentral password.
import { verifyPassword } from '../../crypto/passwords.js';
import { HarnessError } from '../../errors.js';
import type { SpAccounts } from '../accounts.js';
import { assertActive } from '../active-user.js';
import type { SpDirectory } from '../directory.js';
import type { SpUser } from '../model.js';

export interface SignInDirectory {
  accounts: Pick<SpAccounts, 'list'>;
  directory: Pick<SpDirectory, 'findByEmail' | 'list'>;
}

const digits = (value: string): string => value.replace(/\D/g, '');

/** A login without `@` made of phone characters and at least 7 digits is a phone number. */
export function isPhoneLogin(login: string): boolean {
  return !login.includes('@') && /^\+?[\d\s().-]{7,40}$/.test(login.trim()) && digits(login).length >= 7;
}

/** Same number, ignoring punctuation; a North American number may be typed without its leading 1. */
function samePhoneNumber(typed: string, stored: string | undefined): boolean {
  if (stored === undefined) return false;
  const a = digits(typed);
  const b = digits(stored);
  if (a.length < 7 || b.length < 7) return false;
  return a === b || (a.length === 10 && b === `1${a}`) || (b.length === 10 && a === `1${b}`);
}

/** The user's extension number when the directory has one (SCIM users may; admin-created ones may not). */
function extensionOf(user: SpUser): string | undefined {
  const ext = (user as { extension?: unknown }).extension;
  if (typeof ext === 'string' || typeof ext === 'number') return String(ext);
  if (typeof ext === 'object' && ext !== null) {
    const number = (ext as { number?: unknown }).number;
    if (typeof number === 'string' || typeof number === 'number') return String(number);
  }
  return undefined;
}

async function usersWithNumber(dir: SignInDirectory, login: string, extension: string | undefined): Promise<SpUser[]> {
  const matches: SpUser[] = [];
  for (const account of await dir.accounts.list()) {
    for (const user of await dir.directory.list(account.id)) {
      if (samePhoneNumber(login, user.number)) matches.push(user);
    }
  }
  if (extension === undefined) return matches;
  // An extension counts only against users that have one; for the others it is ignored.
  const exact = matches.filter((u) => extensionOf(u) === extension);
  return exact.length > 0 ? exact : matches.filter((u) => extensionOf(u) === undefined);
}

async function findUser(dir: SignInDirectory, login: string, extension: string | undefined): Promise<SpUser | undefined> {
  if (!isPhoneLogin(login)) return dir.directory.findByEmail(login);
  const matches = await usersWithNumber(dir, login, extension);
  if (matches.length > 1) {
    throw new HarnessError('OAUTH_EXTENSION_REQUIRED', `${matches.length} users share the number ${login}: enter the extension`, {
      expected: 'a phone number and the extension of one user',
      received: extension === undefined ? login : `${login} extension ${extension}`,
    });
  }
  return matches[0];
}

/** The active user these credentials belong to; wrong credentials say nothing about which part was wrong. */
export async function signInUser(dir: SignInDirectory, login: string, extension: string | undefined, password: string): Promise<SpUser> {
  const user = await findUser(dir, login.trim(), extension?.trim() || undefined);
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok) {
    throw new HarnessError('SP_BAD_CREDENTIALS', isPhoneLogin(login) ? 'wrong phone number, extension or password' : 'wrong email or password');
  }
  assertActive(user);
  return user;
}
