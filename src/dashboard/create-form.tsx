import { useEffect, useState } from 'preact/hooks';
import { callTool } from './api.js';

interface Props {
  act(tool: string, args: Record<string, unknown>, done: string): Promise<boolean>;
}

/** create_server with a name, a description and capabilities from list_capabilities. */
export function CreateForm({ act }: Props) {
  const [catalog, setCatalog] = useState<{ capabilities: any[]; default_capabilities: string[] } | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    callTool('list_capabilities', { kind: 'capability' }).then(
      (c) => {
        setCatalog(c);
        setChosen(new Set(c.default_capabilities));
      },
      () => setCatalog({ capabilities: [], default_capabilities: [] }),
    );
  }, []);
  const toggle = (cap: string) => setChosen((old) => {
    const next = new Set(old);
    if (next.has(cap)) next.delete(cap);
    else next.add(cap);
    return next;
  });
  return (
    <section class="panel" aria-labelledby="create-title">
      <h2 id="create-title">Create a server</h2>
      <form
        class="create-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          const args: Record<string, unknown> = { capabilities: [...chosen] };
          if (name.trim()) args.name = name.trim();
          if (description.trim()) args.description = description.trim();
          if (await act('create_server', args, `Created ${name.trim() || 'a server'}`)) {
            setName('');
            setDescription('');
          }
          setBusy(false);
        }}
      >
        <label>
          Name
          <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} pattern="[A-Za-z0-9_\-]{3,}" placeholder="e.g. notes" />
        </label>
        <label>
          Description
          <input value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} placeholder="What the server is for" />
        </label>
        <fieldset>
          <legend>Capabilities</legend>
          {(catalog?.capabilities ?? []).map((c) => (
            <label key={c.name} class="check" title={c.description}>
              <input type="checkbox" checked={chosen.has(c.name)} onChange={() => toggle(c.name)} /> {c.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create'}</button>
      </form>
    </section>
  );
}
