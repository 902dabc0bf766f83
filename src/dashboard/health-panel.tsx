/** The forge's own health (GET /healthz's detail) and versions (system://version). */
export function HealthPanel({ health, version, connected }: { health: any; version: any; connected: boolean }) {
  return (
    <section class="panel" aria-labelledby="health-title">
      <h2 id="health-title">Forge</h2>
      <dl class="facts">
        <dt>Live feed</dt>
        <dd data-testid="feed">{connected ? 'connected' : 'reconnecting…'}</dd>
        <dt>Docker</dt>
        <dd>{health?.docker ?? '–'}</dd>
        <dt>Servers</dt>
        <dd>{health?.servers ?? '–'}</dd>
        <dt>Sessions</dt>
        <dd>{health?.sessions ? `${health.sessions.streamable} streamable, ${health.sessions.sse} SSE` : '–'}</dd>
        <dt>Versions</dt>
        <dd>
          {version ? `forge ${version.version}, API ${version.api_version}, Node ${version.node_version}, Docker ${version.docker?.version ?? version.docker?.error ?? '?'}` : '–'}
        </dd>
        <dt>Instance</dt>
        <dd>{health?.instance ?? '–'}</dd>
      </dl>
    </section>
  );
}
