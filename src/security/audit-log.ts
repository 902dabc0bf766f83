import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeAtomically } from '../config/saved-settings.js';
import { redact } from './redact.js';

/** One state-changing call. */
export interface AuditEntry {
  time: string;
  actor: string;
  role: string;
  action: string;
  /** Gateway calls: the server (or group) and its tool; their arguments are never recorded. */
  server?: string | null;
  tool?: string;
  arguments: unknown;
  status: string;
  code?: string;
  message?: string;
  ms: number;
}

/** How the arguments of a call are recorded: redacted by the tool's own rule. */
export type RecordArguments = (action: string, args: unknown) => unknown;

/** Largest audit line in bytes; a bigger entry keeps its facts and drops its arguments. */
export const MAX_ENTRY_BYTES = 8192;
const MAX_MESSAGE = 1024;

/**
 * Append-only JSON lines in `<data dir>/audit.log`, rotated by size into audit.log.1 … .N.
 * Appends are synchronous so entries keep their order and survive a crash right after the call.
 */
export class AuditLog {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly limits: () => { max_bytes: number; max_files: number },
    private readonly recordArguments: RecordArguments = (_action, args) => redact(args),
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'audit.log');
  }

  record(entry: Omit<AuditEntry, 'time'>): void {
    const line = this.line({ time: new Date().toISOString(), ...entry });
    this.rotateIfNeeded(Buffer.byteLength(line));
    appendFileSync(this.file, line, { mode: 0o600 });
  }

  /** The newest `max` entries, oldest first, across the rotated files. */
  tail(max: number): AuditEntry[] {
    const out: AuditEntry[] = [];
    for (let i = 0; i <= this.limits().max_files && out.length < max; i++) {
      const file = i === 0 ? this.file : `${this.file}.${i}`;
      if (!existsSync(file)) break;
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      out.unshift(...lines.slice(-(max - out.length)).map((l) => JSON.parse(l) as AuditEntry));
    }
    return out;
  }

  /**
   * Start-up scrub: every entry on disk (rotated files too) is redacted and capped again by
   * today's rules, so a secret recorded by an older forge does not stay readable. Unreadable lines go.
   */
  async scrub(): Promise<void> {
    for (let i = 0; i <= this.limits().max_files; i++) {
      const file = i === 0 ? this.file : `${this.file}.${i}`;
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n').filter(Boolean).flatMap((l) => {
        try {
          return [this.line(JSON.parse(l) as AuditEntry)];
        } catch {
          return [];
        }
      });
      if (lines.join('') !== text) await writeAtomically(file, lines.join(''));
    }
  }

  /** The entry as one JSON line: arguments redacted, message cut, arguments dropped if still too big. */
  private line(entry: AuditEntry): string {
    const message = entry.message && entry.message.length > MAX_MESSAGE ? `${entry.message.slice(0, MAX_MESSAGE)}…` : entry.message;
    const action = entry.action.length > 128 ? `${entry.action.slice(0, 128)}…` : entry.action;
    const safe = { ...entry, action, arguments: this.recordArguments(entry.action, entry.arguments), ...(message !== undefined ? { message } : {}) };
    const line = JSON.stringify(safe) + '\n';
    if (Buffer.byteLength(line) <= MAX_ENTRY_BYTES) return line;
    return JSON.stringify({ ...safe, arguments: `[omitted: ${Buffer.byteLength(JSON.stringify(safe.arguments))} bytes]` }) + '\n';
  }

  private rotateIfNeeded(incoming: number) {
    const { max_bytes, max_files } = this.limits();
    const size = existsSync(this.file) ? statSync(this.file).size : 0;
    if (size + incoming <= max_bytes) return;
    rmSync(`${this.file}.${max_files}`, { force: true });
    for (let i = max_files - 1; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    if (existsSync(this.file)) renameSync(this.file, `${this.file}.1`);
  }
}
