import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETTINGS_TABLES, settingsTable, withSettingsTables } from '../scripts/settings-doc.js';
import { appCreateInput } from '../src/idp/inputs.js';
import { scimSettingsInput, ssoSettingsInput } from '../src/sp/inputs.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

describe('README settings tables', () => {
  it('are the ones the admin API schemas make (npm run docs:settings rewrites them)', () => {
    assert.equal(withSettingsTables(readme), readme, 'run npm run docs:settings and commit README.md');
  });

  for (const [name, schema] of [['SSO', ssoSettingsInput], ['SCIM', scimSettingsInput], ['application', appCreateInput]] as const) {
    it(`have a described row for every ${name} setting the API accepts`, () => {
      const table = settingsTable(schema);
      const fields = Object.keys(schema.shape);
      assert.ok(fields.length >= 4, `${name}: read ${fields.length} fields`);
      for (const field of fields) {
        const row = table.split('\n').find((line) => line.startsWith(`| \`${field}\` |`));
        assert.ok(row, `no row for ${field}`);
        assert.ok(readme.includes(row), `README.md lacks the row for ${field}`);
        assert.match(row, /\| [^|]*[A-Za-z][^|]* \|$/, `${field} has no description: add .describe() to it`);
      }
    });
  }

  it('covers every table it names', () => {
    for (const name of Object.keys(SETTINGS_TABLES)) assert.ok(readme.includes(`<!-- settings:${name} -->`), name);
  });
});
