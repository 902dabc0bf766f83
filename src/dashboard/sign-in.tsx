import { useState } from 'preact/hooks';

/** Asks once per browser session for a forge token (kept in session storage only). */
export function SignIn({ error, onToken }: { error: string | null; onToken(token: string): void }) {
  const [value, setValue] = useState('');
  return (
    <main class="sign-in">
      <h1>MCP-Forge</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onToken(value.trim());
        }}
      >
        <label for="token">Forge token</label>
        <input id="token" type="password" autoComplete="off" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} required aria-describedby="token-help" />
        <p id="token-help" class="muted">Kept for this browser tab's session only, sent as a bearer header.</p>
        <button type="submit">Sign in</button>
        {error ? <p role="alert" class="error">{error}</p> : null}
      </form>
    </main>
  );
}
