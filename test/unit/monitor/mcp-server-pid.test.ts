import { expect } from 'chai';
import { mcpServerPid } from '../../../src/monitor/mcp-server-pid.js';

describe("the MCP server's pid", () => {
  it("is docker-init's node child, not docker-init (the container's main process)", () => {
    const top = [
      { pid: 500, ppid: 480, command: 'docker-init' },
      { pid: 512, ppid: 500, command: 'node' },
      { pid: 530, ppid: 512, command: 'sh' },
    ];
    expect(mcpServerPid(500, top)).to.equal(512);
  });
  it("is docker-init's only child whatever its name, and docker-init's own pid while there is none", () => {
    expect(mcpServerPid(500, [{ pid: 500, ppid: 480, command: 'docker-init' }, { pid: 501, ppid: 500, command: 'nodejs' }])).to.equal(501);
    expect(mcpServerPid(500, [{ pid: 500, ppid: 480, command: 'docker-init' }])).to.equal(500);
    expect(mcpServerPid(500, [])).to.equal(500);
  });
});
