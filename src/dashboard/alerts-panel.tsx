import { time } from './format.js';

/** The monitor's newest alerts, newest first; new ones are announced. */
export function AlertsPanel({ alerts }: { alerts: any[] }) {
  return (
    <section class="panel" aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts</h2>
      {alerts.length === 0 ? (
        <p class="muted">No alerts.</p>
      ) : (
        <ul class="alerts" aria-live="polite">
          {alerts.map((a) => (
            <li key={a.id} class={`alert ${a.severity}`}>
              <span class="when">{time(a.time)}</span> <span class="kind">{a.kind}</span> {a.message}
              {a.diagnosis?.last_stderr?.length ? <pre class="stderr">{a.diagnosis.last_stderr.join('\n')}</pre> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
