import type { ForgeResource } from '../forge-resource.js';
import { API_VERSION, FORGE_VERSION } from '../../version.js';

/** system://version: the forge's version, the API version, and the versions it runs on. */
export const systemVersionResource: ForgeResource = {
  uri: 'system://version',
  name: 'system-version',
  title: 'Versions',
  description: 'Forge version, API version (1.0), Node.js version and Docker engine version as JSON.',
  async read(services) {
    const docker = await services.runtime.version().then(
      (v) => ({ version: v.version, api_version: v.apiVersion, os: v.os, arch: v.arch }),
      (err: Error) => ({ error: err.message }),
    );
    return { name: 'mcp-forge', version: FORGE_VERSION, api_version: API_VERSION, node_version: process.version, docker };
  },
};
