import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
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

/**
 * Append-only JSON lines in `<data dir>/audit.log`, rotated by size into audit.log.1 … .N.
 * Appends are synchronous so entries keep their order and survive a crash right after the call.
 */
export class AuditLog {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly limits: () => { max_bytes: number; max_files: number },
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'audit.log');
  }

  record(entry: Omit<AuditEntry, 'time' | 'arguments'> & { arguments: unknown }): void {
    const line = JSON.stringify({ time: new Date().toISOString(), ...entry, arguments: redact(entry.arguments) }) + '\n';
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
