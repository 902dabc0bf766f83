#!/usr/bin/env node
/** `mcp-forge`: the command-line client (the package's bin). `mcp-forge --help` lists the commands. */
import { runCli } from '../client/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, { token: process.env.MCP_FORGE_TOKEN });
