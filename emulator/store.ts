// The tenant's persistent state and its atomic persistence. Every change runs as a transaction on a copy of the
// state, one at a time; the copy replaces the live state only after it is safely on disk (temp file + fsync +
// rename + directory fsync), so a failed validation or a crash never leaves a half-applied change behind.
import * as fs from "node:fs";
import * as path from "node:path";

/** One OAuth client application, with Alation's model field names. */
export interface ClientRecord {
  /** Integer primary key, as the Django model has it (the shell stand-in uses it for save/delete). */
  id: number;
  client_id: string;
  client_secret: string;
  name: string;
  client_type: string;
  redirect_uris: string[];
  access_token_expiry: number;
  refresh_token_expiry: number;
  pkce_required: boolean;
  jwt_required: boolean;
  is_active: boolean;
  internal_application: boolean;
}

/**
 * A service account (alation-api.md section 3): its own kind of client, made at `/admin/auth/` in Alation, not an
 * OAuth application. It acts as a system user of the chosen role; its tokens last `token_duration` seconds.
 */
export interface ServiceAccountRecord {
  client_id: string;
  client_secret: string;
  name: string;
  /** The system user's role, e.g. SERVER_ADMIN (only Server Admins may call the admin API). */
  role: string;
  /** Lifetime of its access tokens, 300..259200 s. */
  token_duration: number;
  /** The id of its system user (never one of the people who log in). */
  user_id: number;
}

/** A legacy refresh token (createRefreshToken). */
export interface LegacyRefreshToken {
  user_id: number;
  name: string;
  created_at: number;
  expires_at: number;
}

/** A token the tenant keeps server side: legacy API access tokens, opaque OAuth access tokens, refresh tokens. */
export interface StoredToken {
  kind: "legacy-access" | "oauth-access" | "oauth-refresh";
  user_id: number;
  /** The OAuth client the token was issued to (absent for legacy tokens). */
  client_id?: string;
  scope?: string;
  /** Epoch milliseconds. */
  expires_at: number;
}

/** The whole persisted state of one tenant. */
export interface TenantState {
  version: 1;
  nextClientPk: number;
  /** Keyed by client_id. */
  clients: Record<string, ClientRecord>;
  /** alation_conf values that were set (defaults live in conf.ts). */
  conf: Record<string, string>;
  legacyRefreshTokens: Record<string, LegacyRefreshToken>;
  /** Keyed by the token string. */
  tokens: Record<string, StoredToken>;
  /** Service accounts, keyed by client_id. */
  serviceAccounts: Record<string, ServiceAccountRecord>;
  /** The next id of a service account's system user. */
  nextSystemUserId: number;
  /** The jti of the one valid client-credentials JWT per service account (a new token invalidates the previous one). */
  serviceTokenIds: Record<string, string>;
  /** The private signing key (JWK), made on first start. */
  signingKey?: Record<string, unknown>;
}

const STATE_FILE = "tenant.json";
/** System users of service accounts are numbered apart from the people who log in. */
const FIRST_SYSTEM_USER_ID = 1000;

/** A change that could not be saved: nothing was committed, the state is as it was before the change. */
export class StoreWriteError extends Error {
  override readonly name = "StoreWriteError";
}

/** Why the data dir cannot hold the state (`error` from creating or writing in it), with the fix, in one line. */
function dataDirProblem(dataDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const reason = `${code || (error as Error).message}`;
  if (code === "EEXIST" || code === "ENOTDIR") {
    const what = code === "EEXIST" ? "is a file, not a folder" : "is inside a file";
    return `the data dir ${dataDir} ${what} (${reason}): give the path of a folder (made if absent)`;
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return `the data dir ${dataDir} is not writable (${reason}): make it writable, or choose another data dir`;
  }
  return `the data dir ${dataDir} cannot be used (${(error as Error).message}): choose another data dir`;
}

function emptyState(): TenantState {
  return {
    version: 1,
    nextClientPk: 1,
    clients: {},
    conf: {},
    legacyRefreshTokens: {},
    tokens: {},
    serviceAccounts: {},
    nextSystemUserId: FIRST_SYSTEM_USER_ID,
    serviceTokenIds: {},
  };
}

/** Holds the live state; `update` is the only way to change it. */
export class TenantStore {
  private current: TenantState;
  private queue: Promise<unknown> = Promise.resolve();
  private tempCounter = 0;

  private constructor(
    private readonly dataDir: string | undefined,
    initial: TenantState,
  ) {
    this.current = initial;
  }

  /** Opens the state in `dataDir` (created if absent), or an in-memory state without one. */
  static open(dataDir: string | undefined): TenantStore {
    if (dataDir === undefined) return new TenantStore(undefined, emptyState());
    try {
      fs.mkdirSync(dataDir, { recursive: true });
      // Every change is written here before it is answered: find out now, not at the first change.
      const probe = path.join(dataDir, `${STATE_FILE}.tmp-${process.pid}-probe`);
      fs.writeFileSync(probe, "", { mode: 0o600 });
      fs.rmSync(probe);
    } catch (err) {
      throw new Error(dataDirProblem(dataDir, err));
    }
    // Leftover temp files are writes that never reached their rename: the committed file is still whole.
    for (const name of fs.readdirSync(dataDir)) {
      if (name.startsWith(`${STATE_FILE}.tmp-`)) fs.rmSync(path.join(dataDir, name), { force: true });
    }
    const file = path.join(dataDir, STATE_FILE);
    if (!fs.existsSync(file)) return new TenantStore(dataDir, emptyState());
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      // Never overwrite a file we cannot read: someone must look at it.
      throw new Error(
        `the emulator's state file ${file} is not valid JSON (${(err as Error).message}); move it away to start afresh`,
      );
    }
    if (typeof parsed !== "object" || parsed === null || (parsed as { version?: unknown }).version !== 1) {
      throw new Error(`the emulator's state file ${file} has an unknown format; move it away to start afresh`);
    }
    return new TenantStore(dataDir, { ...emptyState(), ...(parsed as TenantState) });
  }

  /** The committed state. Read only: change it through `update`. */
  get state(): Readonly<TenantState> {
    return this.current;
  }

  /**
   * Runs `change` on a copy of the state, after every earlier update, and commits the copy (to disk first) if
   * `change` returns; if it throws, nothing changes and the error is passed on.
   */
  update<T>(change: (draft: TenantState) => T): Promise<T> {
    const run = async (): Promise<T> => {
      const draft = structuredClone(this.current);
      const result = change(draft);
      await this.persist(draft);
      this.current = draft;
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every update started so far is committed. */
  async flush(): Promise<void> {
    await this.queue;
  }

  private async persist(state: TenantState): Promise<void> {
    if (this.dataDir === undefined) return;
    const file = path.join(this.dataDir, STATE_FILE);
    const temp = `${file}.tmp-${process.pid}-${++this.tempCounter}`;
    try {
      const handle = await fs.promises.open(temp, "w", 0o600);
      try {
        await handle.writeFile(JSON.stringify(state));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temp, file);
    } catch (err) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw new StoreWriteError(`the change was not saved, so nothing changed: ${dataDirProblem(this.dataDir, err)}`);
    }
    // The rename itself must be durable too.
    const dir = await fs.promises.open(this.dataDir, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
