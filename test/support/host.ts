import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/config/paths.js';

const run = promisify(execFile);

/** Whether nothing listens on 127.0.0.1:`port` (checked by binding it for a moment). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback port the OS reports free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `npm run build`: compiles src/ into dist/ and builds the dashboard into dist/dashboard/ (what the forge image and `node dist/cli/forge.js` run). */
export async function buildDist(): Promise<void> {
  await run(process.execPath, [path.join(packageRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: packageRoot });
  await run(process.execPath, [path.join(packageRoot, 'src/dashboard/build.mjs')], { cwd: packageRoot });
}
