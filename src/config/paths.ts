import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package's root folder (where package.json, config/, templates/ and images/ live), from src/ or dist/. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const configDir = path.join(packageRoot, 'config');
export const builtinTemplatesDir = path.join(packageRoot, 'templates');
export const imagesDir = path.join(packageRoot, 'images');
