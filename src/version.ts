import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './config/paths.js';

/** The forge's version (package.json) and the API version of api-spec.md. */
export const FORGE_VERSION: string = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).version;
export const API_VERSION = '1.0';
