import { time } from './format.js';

/** Auto-scaling groups: bounds, members, rules with their latest evaluation, recent events and reasons. */
export function GroupsPanel({ groups }: { groups: any }) {
  const list: any[] = groups?.groups ?? [];
  return (
    <section class="panel" aria-labelledby="groups-title">
      <h2 id="groups-title">Auto-scaling groups</h2>
      {list.length === 0 ? <p class="muted">No groups.</p> : null}
      {list.map((g) => (
        <article key={g.name} class="group" aria-label={`group ${g.name}`}>
          <h3>
            {g.name} <span class="muted">({g.instances} of {g.min_instances}–{g.max_instances})</span>
          </h3>
          <p>Members: {(g.members ?? []).map((m: any) => `${m.name} (${m.status})`).join(', ') || 'none'}</p>
          {g.rules?.length ? (
            <ul>
              {g.rules.map((r: any) => (
                <li key={r.name}>
                  {r.name}: {r.metric} ≥ {r.threshold} → {r.action} (cooldown {r.cooldown}s)
                  {r.last_evaluation ? (
                    <span class="muted">
                      {' '}
                      ({time(r.last_evaluation.time)}: {r.last_evaluation.reason})
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          {g.events?.length ? (
            <ol class="events" aria-label={`recent events of ${g.name}`}>
              {g.events.slice(-10).reverse().map((e: any) => (
                <li key={e.id}>
                  <span class="when">{time(e.time)}</span> {e.action} {e.outcome} {e.server_name ?? ''} — {e.reason}
                  {e.error ? ` (${e.error.code}: ${e.error.message})` : ''}
                </li>
              ))}
            </ol>
          ) : null}
        </article>
      ))}
    </section>
  );
}
