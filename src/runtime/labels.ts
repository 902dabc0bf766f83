/** Every label the forge puts on Docker objects. Reconciliation and cleanup select by these. */
export const LABELS = {
  managed: 'io.mcp-forge.managed',
  instance: 'io.mcp-forge.instance',
  serverId: 'io.mcp-forge.server-id',
  name: 'io.mcp-forge.name',
  kind: 'io.mcp-forge.kind',
  contentHash: 'io.mcp-forge.content-hash',
  capabilities: 'io.mcp-forge.capabilities',
  /** Bring-your-own images: the package (`npm:<name>@<version>`) or image they run. */
  source: 'io.mcp-forge.source',
} as const;

export type ObjectKind = 'child' | 'child-image' | 'child-base' | 'node-base' | 'network' | 'volume';

/** Labels for a child container of one forge instance. */
export function childLabels(
  instance: string,
  server: { id: string; name: string; capabilities: string[] },
  extra: Record<string, string>,
): Record<string, string> {
  return {
    ...extra,
    [LABELS.managed]: 'true',
    [LABELS.kind]: 'child',
    [LABELS.instance]: instance,
    [LABELS.serverId]: server.id,
    [LABELS.name]: server.name,
    [LABELS.capabilities]: server.capabilities.join(','),
  };
}

/** Labels for a server's data volume: like its container's, so the same filters find both. */
export function volumeLabels(
  instance: string,
  server: { id: string; name: string; capabilities: string[] },
  extra: Record<string, string>,
): Record<string, string> {
  return { ...childLabels(instance, server, extra), [LABELS.kind]: 'volume' };
}

/** Labels for an image the forge builds. Images are shared by content, so they carry no instance. */
export function imageLabels(kind: ObjectKind, extra: Record<string, string>, more: Record<string, string> = {}) {
  return { ...extra, ...more, [LABELS.managed]: 'true', [LABELS.kind]: kind };
}

/** Whether a container's labels make it this server's child of this forge instance: the one ownership rule. */
export function isOwnChild(labels: Record<string, string>, serverId: string, instance: string): boolean {
  return labels[LABELS.serverId] === serverId && labels[LABELS.instance] === instance;
}

/** A Docker `filters` value selecting one forge instance's children. */
export function instanceFilter(instance: string): { label: string[] } {
  return { label: [`${LABELS.managed}=true`, `${LABELS.instance}=${instance}`, `${LABELS.kind}=child`] };
}
