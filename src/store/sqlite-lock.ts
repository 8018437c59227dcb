// One running instance per SQLite file. The SQLite store keeps its seeding lock, its transaction
// queue and the sizes of its bounded maps in the process, so a second process writing the same
// file would seed it twice and overrun the bounds; it is stopped at open instead.
//
// The lock is SQLite's own: `<database>.lock` is a tiny SQLite file that the holder opens in
// EXCLUSIVE locking mode and writes once, which keeps an exclusive lock on it until the
// connection closes. The operating system drops that lock when the holder dies, however it
// dies, so a lock is never left stale: no pid to check (a pid file is fooled by a reused pid, as
// in a container restarted with the same data volume, where the harness is always pid 1). The
// holder's pid is written in the file's header, where the refused process reads it to name it.
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { HarnessError } from '../errors.js';
import { errorCode } from '../caught-error.js';

/** The header's application_id of a lock file ("SSOH"), so a pid is read only from one of ours. */
const LOCK_APPLICATION_ID = 0x53534f48;

/**
 * Lock files this process holds. A second connection to a file the process already locks must
 * never be opened: POSIX locks belong to the process, and a second connection closing (or being
 * collected) can drop the first one's lock.
 */
const held = new Set<string>();

export interface SqliteFileLock {
  readonly path: string;
  release(): void;
}

export interface LockWording {
  /** What is in use, as the refusal names it: `the data directory ./.sso-harness`. */
  what: string;
  /** What to do instead: `use --data DIR for another`. */
  instead: string;
}

function inUse(wording: LockWording, pid: number | undefined, here: boolean): HarnessError {
  const by = here ? `another harness in this process (pid ${pid})` : `another instance (${pid === undefined ? 'pid unknown' : `pid ${pid}`})`;
  return new HarnessError('STORE_IN_USE', `${wording.what} is in use by ${by}; ${wording.instead}, or --store postgres://… to share state`);
}

/** The pid the holder wrote in the lock file's header, when the file is one of ours. */
function holderPid(path: string): number | undefined {
  const header = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, header, 0, 100, 0) < 100) return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0' || header.readUInt32BE(68) !== LOCK_APPLICATION_ID) return undefined;
  const pid = header.readUInt32BE(60); // user_version
  return pid > 0 ? pid : undefined;
}

/**
 * Takes the lock of the SQLite database at `dbPath` (`<dbPath>.lock`, created when missing and
 * left in place: deleting it while another process opens it would let two hold it). Held by a
 * running process, this one included: STORE_IN_USE, naming its pid.
 */
export function lockSqliteFile(dbPath: string, wording: LockWording): SqliteFileLock {
  const path = `${resolve(dbPath)}.lock`;
  if (held.has(path)) throw inUse(wording, process.pid, true);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.exec('BEGIN EXCLUSIVE');
    db.pragma(`application_id = ${LOCK_APPLICATION_ID}`);
    db.pragma(`user_version = ${process.pid}`);
    db.exec('COMMIT');
  } catch (err) {
    db?.close();
    const code = errorCode(err);
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw inUse(wording, holderPid(path), false);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new HarnessError('STORE_UNAVAILABLE', `cannot use the lock file ${path}: it is not an sso-harness lock (${code}); delete it when no sso-harness uses this database`);
    }
    throw err;
  }
  held.add(path);
  const lock = db;
  return {
    path,
    release: () => {
      if (held.delete(path)) lock.close();
    },
  };
}
