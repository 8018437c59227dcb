// Rewrites the settings tables of README.md from the admin API's schemas and the start options (scripts/settings-doc.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTables } from './settings-doc.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withSettingsTables(before, readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'));
if (after !== before) writeFileSync(path, after);
process.stdout.write(after === before ? 'README.md settings tables are up to date\n' : 'README.md settings tables rewritten\n');
