import { useState } from 'preact/hooks';
import { bytes, duration, limitValue } from './format.js';
import { Sparkline } from './sparkline.js';

const LIMITS = ['cpu_percent', 'memory_bytes', 'memory_percent', 'io_read_bytes', 'io_write_bytes', 'connections'];

interface Props {
  server: any;
  history: any[];
  admin: boolean;
  following: boolean;
  onFollow(): void;
  act(tool: string, args: Record<string, unknown>, done: string): Promise<boolean>;
}

/** One server: status, port, uptime, capabilities, limits, CPU and memory sparklines, and (admin) its actions. */
export function ServerCard({ server, history, admin, following, onFollow, act }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [limitName, setLimitName] = useState(LIMITS[0]!);
  const [limitInput, setLimitInput] = useState('');
  const times = history.map((p) => p.timestamp);
  const cpu = history.map((p) => p.cpu_percent);
  const memory = history.map((p) => p.memory_bytes);
  const last = history[history.length - 1];
  const limits: Record<string, number | null> = server.limits ?? {};
  const id = server.id;
  const titleId = `server-${id}`;
  const simple = (tool: string, verb: string) => () => act(tool, { server_id: id }, `${verb} ${server.name}`);
  return (
    <article class={`card status-${server.status}`} aria-labelledby={titleId} data-server={server.name}>
      <header>
        <h3 id={titleId}>{server.name}</h3>
        <span class="status" data-testid="status">{server.status}</span>
      </header>
      <p class="description">{server.description}</p>
      <dl class="facts">
        <dt>Port</dt>
        <dd>{server.port}</dd>
        <dt>Uptime</dt>
        <dd>{server.status === 'running' ? duration(server.uptime) : '–'}</dd>
        <dt>Capabilities</dt>
        <dd>{[...(server.capabilities ?? []), ...(server.handlers ?? [])].join(', ') || '–'}</dd>
        <dt>Limits</dt>
        <dd>
          {Object.entries(limits)
            .filter(([, v]) => v !== null)
            .map(([k, v]) => `${k} ${limitValue(k, v)}`)
            .join(', ') || 'none'}
        </dd>
        {server.error ? (
          <>
            <dt>Error</dt>
            <dd class="error">{server.error}</dd>
          </>
        ) : null}
      </dl>
      <div class="sparks">
        <Sparkline label="CPU" times={times} values={cpu} latest={last ? `${last.cpu_percent.toFixed(1)}%` : '–'} color="#2563eb" />
        <Sparkline label="Memory" times={times} values={memory} latest={last ? bytes(last.memory_bytes) : '–'} color="#16a34a" />
      </div>
      <div class="actions">
        <button type="button" onClick={onFollow} aria-pressed={following}>
          {following ? 'Following log' : 'Show log'}
        </button>
        {admin ? (
          <>
            <button type="button" onClick={simple('start_server', 'Started')}>Start</button>
            <button type="button" onClick={simple('stop_server', 'Stopped')}>Stop</button>
            <button type="button" onClick={simple('restart_server', 'Restarted')}>Restart</button>
            {confirming ? (
              <span role="group" aria-label={`confirm deleting ${server.name}`}>
                <button type="button" class="danger" onClick={() => void act('delete_server', { server_id: id }, `Deleted ${server.name}`).then(() => setConfirming(false))}>
                  Confirm delete
                </button>
                <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
              </span>
            ) : (
              <button type="button" class="danger" onClick={() => setConfirming(true)}>Delete…</button>
            )}
          </>
        ) : null}
      </div>
      {admin ? (
        <form
          class="limit-form"
          onSubmit={(e) => {
            e.preventDefault();
            const value = limitInput.trim() === '' ? null : Number(limitInput);
            void act('set_resource_limit', { server_id: id, limit_name: limitName, limit_value: value }, `Set ${limitName} of ${server.name}`);
          }}
        >
          <label>
            Limit
            <select value={limitName} onChange={(e) => setLimitName((e.target as HTMLSelectElement).value)}>
              {LIMITS.map((l) => (
                <option key={l} value={l}>{l}</option>
              ))}
            </select>
          </label>
          <label>
            Value
            <input type="number" step="any" min="0" value={limitInput} placeholder="empty removes" onInput={(e) => setLimitInput((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Set limit</button>
        </form>
      ) : null}
    </article>
  );
}
