import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The npm package that ships beside a Node binary (`<prefix>/bin/node` →
 * `<prefix>/lib/node_modules/npm`, as Node's own installs and images lay it out), or null.
 */
export function npmBeside(nodeBinary = process.execPath): string | null {
  const dir = path.join(path.dirname(nodeBinary), '..', 'lib', 'node_modules', 'npm');
  return existsSync(path.join(dir, 'bin', 'npm-cli.js')) ? path.resolve(dir) : null;
}

/** The host's npm package folder: the one beside this Node, else `$(npm root -g)/npm`. */
export async function hostNpmDir(): Promise<string> {
  const beside = npmBeside();
  if (beside) return beside;
  const { stdout } = await run('npm', ['root', '-g']).catch((err: Error) => {
    throw new Error(`cannot find npm on this host (needed in the forge image to install npm sources): ${err.message}`);
  });
  const dir = path.join(stdout.trim(), 'npm');
  if (!existsSync(path.join(dir, 'bin', 'npm-cli.js'))) throw new Error(`cannot find npm on this host: no bin/npm-cli.js in ${dir}`);
  return dir;
}

/**
 * How to run npm: its CLI with this very Node when npm ships beside it (no shebang, no
 * `/usr/bin/env` needed: the forge image's minimal base has neither), else `npm` on PATH.
 */
export function npmCommand(args: string[]): { file: string; args: string[] } {
  const beside = npmBeside();
  return beside ? { file: process.execPath, args: [path.join(beside, 'bin', 'npm-cli.js'), ...args] } : { file: 'npm', args };
}
