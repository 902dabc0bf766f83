interface Props {
  serverName: string;
  logs: { stdout?: string[]; stderr?: string[] } | null;
}

/** The followed server's stdout and stderr, newest last, as plain text. */
export function LogTail({ serverName, logs }: Props) {
  return (
    <section class="panel logs" aria-labelledby="logs-title">
      <h2 id="logs-title">Logs: {serverName}</h2>
      {!logs ? (
        <p class="muted">Waiting for the log…</p>
      ) : (
        <div class="log-streams">
          {(['stdout', 'stderr'] as const).map((stream) => (
            <div class="log-stream" key={stream}>
              <h3>{stream}</h3>
              <pre role="log" aria-live="polite" aria-label={`${serverName} ${stream}`} tabIndex={0} data-stream={stream}>
                {(logs[stream] ?? []).join('\n') || '(empty)'}
              </pre>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
