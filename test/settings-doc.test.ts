import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { imageEnvironment, SETTINGS_TABLES, settingsTable, START_TABLE, startOptionsTable, withSettingsTables } from '../scripts/settings-doc.js';
import { START_OPTIONS } from '../src/harness/start-options.js';
import { appCreateInput } from '../src/idp/inputs.js';
import { scimSettingsInput, ssoSettingsInput } from '../src/sp/inputs.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const dockerfile = readFileSync(fileURLToPath(new URL('../Dockerfile', import.meta.url)), 'utf8');

describe('README settings tables', () => {
  it('are the ones the admin API schemas make (npm run docs:settings rewrites them)', () => {
    assert.equal(withSettingsTables(readme, dockerfile), readme, 'run npm run docs:settings and commit README.md');
  });

  it('have a row for every start option, naming its variable, flag and config-file key, with the image\'s default beside its own', () => {
    const image = imageEnvironment(dockerfile);
    assert.equal(image.get('SSO_HARNESS_DATA'), '/data');
    const table = startOptionsTable(image);
    for (const option of Object.values(START_OPTIONS)) {
      const names = ['variable' in option ? option.variable : undefined, 'flag' in option ? option.flag : undefined, 'fileKey' in option ? option.fileKey : undefined];
      const row = table.split('\n').find((line) => names.every((n) => n === undefined || line.includes(`\`${n}\``)) && line.includes(option.doc));
      assert.ok(row, `no row for ${names.join(' ')}`);
    }
    assert.ok(table.includes('| `./.sso-harness` (`/data`) |'), table);
    assert.ok(readme.includes(`<!-- settings:${START_TABLE} -->\n${table}\n`), 'README.md lacks the start options table');
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
