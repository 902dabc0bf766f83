import type { ServerRecord, SourceFolder } from '../registry/server-record.js';

/** What the API shows of a bring-your-own server's source: names of env vars and secrets, never their values. */
export type SourceView =
  | { type: 'npm'; package: string; version: string; requested: string; bin: string; args: string[]; env: string[]; secrets: string[]; folders: SourceFolder[] }
  | {
      type: 'image';
      image: string;
      image_id: string;
      digest: string | null;
      transport: 'stdio' | 'http';
      port: number | null;
      path: string;
      user: string;
      args: string[];
      env: string[];
      secrets: string[];
      folders: SourceFolder[];
    };

/** Null for a forged server. */
export function sourceView(record: ServerRecord): SourceView | null {
  const source = record.source;
  if (!source) return null;
  const names = { env: Object.keys(source.env).sort(), secrets: record.secret_names ?? [], folders: (source.folders ?? []).map((f) => ({ ...f })) };
  if (source.type === 'npm') {
    return { type: 'npm', package: source.package, version: source.version, requested: source.requested, bin: source.bin, args: source.args, ...names };
  }
  const { type, image, image_id, digest, transport, port, path, user, args } = source;
  return { type, image, image_id, digest, transport, port, path, user, args, ...names };
}
