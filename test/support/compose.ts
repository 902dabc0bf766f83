import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/config/paths.js';

const run = promisify(execFile);

/** `docker compose` (v2 plugin) when the Docker CLI has it, else Debian's `docker-compose` (1.29); null for neither. */
export async function findCompose(): Promise<string[] | null> {
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    const ok = await run(cmd[0]!, [...cmd.slice(1), 'version']).then(() => true, () => false);
    if (ok) return cmd;
  }
  return null;
}

/**
 * One Compose project of the repository's compose.yaml plus an override file, run with a
 * controlled environment: inherited FORGE_* and NODE_BASE variables are dropped, `env` is set.
 */
export class ComposeProject {
  private constructor(
    private readonly cmd: string[],
    readonly name: string,
    private readonly files: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `override` is written to `dir` as YAML text and applied after compose.yaml. */
  static async create(cmd: string[], name: string, dir: string, override: string, env: Record<string, string>) {
    const overrideFile = path.join(dir, 'compose.override.yaml');
    await writeFile(overrideFile, override);
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FORGE_') && k !== 'NODE_BASE'));
    return new ComposeProject(cmd, name, [path.join(packageRoot, 'compose.yaml'), overrideFile], { ...inherited, ...env });
  }

  /** Runs `compose -p NAME -f ... <args>` in the repository root; rejects with its output on failure. */
  async run(...args: string[]): Promise<string> {
    const fileArgs = this.files.flatMap((f) => ['-f', f]);
    try {
      const { stdout, stderr } = await run(this.cmd[0]!, [...this.cmd.slice(1), '-p', this.name, ...fileArgs, ...args], {
        cwd: packageRoot,
        env: this.env,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout + stderr;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`compose ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`.slice(0, 4000));
    }
  }
}
