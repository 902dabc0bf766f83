import { useCallback, useEffect, useState } from 'preact/hooks';
import { AlertsPanel } from './alerts-panel.js';
import { ApiError, callTool, openFeed, session, token, type Caller } from './api.js';
import { CreateForm } from './create-form.js';
import { GroupsPanel } from './groups-panel.js';
import { HealthPanel } from './health-panel.js';
import { LogTail } from './log-tail.js';
import { ServerCard } from './server-card.js';
import { SignIn } from './sign-in.js';

type Auth = { state: 'checking' } | { state: 'signed-out'; error: string | null } | { state: 'in'; caller: Caller; authRequired: boolean };

/** The dashboard: sign-in when the forge wants a token, then the live view. */
export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const check = useCallback(() => {
    session().then(
      (s) => setAuth({ state: 'in', caller: s.caller, authRequired: s.auth_required }),
      (err: ApiError) => {
        const hadToken = token.get() !== null;
        token.clear();
        setAuth({ state: 'signed-out', error: hadToken && err.status === 401 ? 'That token was refused.' : err.status === 401 ? null : err.message });
      },
    );
  }, []);
  useEffect(check, []);
  if (auth.state === 'checking') return <p class="muted">Connecting…</p>;
  if (auth.state === 'signed-out') return <SignIn error={auth.error} onToken={(t) => (token.set(t), check())} />;
  return <Live caller={auth.caller} authRequired={auth.authRequired} onSignOut={() => (token.clear(), setAuth({ state: 'signed-out', error: null }))} />;
}

function Live({ caller, authRequired, onSignOut }: { caller: Caller; authRequired: boolean; onSignOut(): void }) {
  const [snapshot, setSnapshot] = useState<any>(null);
  const [logs, setLogs] = useState<any>(null);
  const [follow, setFollow] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const admin = caller.role === 'admin';

  useEffect(() => {
    setLogs(null);
    return openFeed(follow, {
      snapshot: setSnapshot,
      logs: (l) => setLogs(l.logs ?? null),
      status: (up, err) => {
        setConnected(up);
        if (err?.status === 401) onSignOut();
      },
    });
  }, [follow]);

  const servers: any[] = snapshot?.servers ?? [];
  useEffect(() => {
    if (!follow && servers.length) setFollow(servers[0].id);
    if (follow && snapshot && !servers.some((s) => s.id === follow)) setFollow(servers[0]?.id ?? null);
  }, [snapshot]);

  const act = async (tool: string, args: Record<string, unknown>, done: string) => {
    setMessage({ text: `${tool}…`, error: false });
    try {
      await callTool(tool, args);
      setMessage({ text: done, error: false });
      return true;
    } catch (err) {
      setMessage({ text: `${tool} failed: ${(err as Error).message}`, error: true });
      return false;
    }
  };
  const followed = servers.find((s) => s.id === follow);

  return (
    <>
      <header class="top">
        <h1>MCP-Forge</h1>
        <p>
          Signed in as <strong>{caller.name}</strong> ({caller.role})
          {authRequired ? (
            <button type="button" onClick={onSignOut}>Sign out</button>
          ) : null}
        </p>
      </header>
      <p role="status" aria-live="polite" class={message?.error ? 'message error' : 'message'}>{message?.text ?? ''}</p>
      <main class="layout">
        <section class="servers" aria-labelledby="servers-title">
          <h2 id="servers-title">Servers ({servers.length})</h2>
          {snapshot && servers.length === 0 ? <p class="muted">No servers yet.</p> : null}
          <div class="cards">
            {servers.map((s) => (
              <ServerCard key={s.id} server={s} history={snapshot.history?.[s.id] ?? []} admin={admin} following={s.id === follow} onFollow={() => setFollow(s.id)} act={act} />
            ))}
          </div>
          {followed ? <LogTail serverName={followed.name} logs={logs} /> : null}
        </section>
        <aside class="side">
          {admin ? <CreateForm act={act} /> : null}
          <AlertsPanel alerts={snapshot?.alerts ?? []} />
          <GroupsPanel groups={snapshot?.groups} />
          <HealthPanel health={snapshot?.health} version={snapshot?.version} connected={connected} />
        </aside>
      </main>
    </>
  );
}
