// JumpCloud's "Integrate with RingCentral" (the vendor document the harness imitates), every step
// clicked in a real browser (Debian's chromium) in the document's order, on `sso-harness start
// --blank`: no admin API call and no database shortcut, only the consoles and the pages a user
// sees. Prerequisites that have a counterpart, JumpCloud 1, RingCentral 1, JumpCloud 2,
// RingCentral 2, authorizing from the application panel and from the groups panel, an SP-initiated
// login, Identity Management (a non-admin refused, then verified), a user created in the IdP
// console provisioned and activated, a manual import, and removing the integration. Every page is
// screenshotted and passes the accessibility smoke check.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addIdpUser, addSpUser, arrive, createSpAccount, mainText, ringCentral1, ringCentral2, signInAtRingCentral, signInToConsoles, spInitiatedLogin } from '../support/console-steps.js';
import { blankHarnessWalkThrough } from '../support/walk-through.js';

describe('JumpCloud\'s RingCentral document, clicked through from a blank harness', function () {
  this.timeout(180_000);
  const walk = blankHarnessWalkThrough('jumpcloud-document');
  let url = '';
  let page: Page;
  let dir = '';
  let accountId = '';
  /** The SP metadata file RingCentral 1 downloads and JumpCloud 2 uploads. */
  let spMetadataFile = '';
  const look = (name: string): Promise<void> => walk.look(name);
  const text = (p: Page = page): Promise<string> => mainText(p);
  const until = (path: string, pattern: RegExp): Promise<string> => walk.until(path, pattern);
  before(() => {
    ({ url, page, dir } = walk);
  });

  it('prerequisites: a JumpCloud administrator, and a RingCentral account on a Premium plan with its administrator', async () => {
    await signInToConsoles(page, url, '/sp/admin');
    await page.getByLabel('Account name').fill('Acme Corp');
    await page.getByLabel('Plan').selectOption({ label: 'Premium' });
    await look('sp-create-account');
    accountId = await createSpAccount(page, url, 'Acme Corp', 'Premium');
    // The RingCentral administrator (Super Admin, so "User Admin or higher"), and a plain user.
    await addSpUser(page, { email: 'ann@acme.test', firstName: 'Ann', lastName: 'Lee', role: 'Super Admin', password: 'ann-rc-password-1' });
    await addSpUser(page, { email: 'bob@acme.test', firstName: 'Bob', lastName: 'Ray', role: 'User', password: 'bob-rc-password-1' });
    await look('sp-users');
  });

  it('JumpCloud 1: adds RingCentral, its display label and domain, copies the metadata URL, adds an attribute', async () => {
    await page.goto(`${url}/idp/admin`);
    await page.getByLabel('From the catalogue').selectOption({ label: 'RingCentral' });
    await page.getByLabel('Display label').fill('RingCentral');
    await page.getByLabel(/Your domain/).fill(new URL(url).host);
    await look('idp-add-application');
    await page.getByRole('button', { name: 'Activate' }).click();
    await arrive(page, (u) => u.pathname === '/idp/admin/apps/ringcentral');
    assert.match(await page.getByLabel('IdP Metadata URL').inputValue(), /\/idp\/apps\/ringcentral\/metadata$/);
    await page.getByRole('button', { name: 'Copy Metadata URL' }).click();
    await page.getByLabel('New attribute: attribute name').fill('department');
    await page.getByLabel('New attribute: source').selectOption({ label: 'user property: department' });
    await page.getByRole('form', { name: 'Attributes' }).getByRole('button', { name: 'Save' }).click();
    await page.getByLabel('department: source').waitFor();
    // The administrator's email, URL-encoded as the prerequisites tell users to type it.
    await page.getByLabel(/Administrator email \(URL-encoded/).fill('ann%40acme.test');
    await page.locator('form:has(#admin-email)').getByRole('button', { name: 'save' }).click();
    await page.getByText(/Decoded: ann@acme\.test/).waitFor();
    await look('idp-application');
  });

  it('RingCentral 1: imports the IdP metadata by URL, maps the email to Custom "email", saves, downloads the SP metadata', async () => {
    await ringCentral1(page, url, accountId, `${url}/idp/apps/ringcentral/metadata`);
    await look('sp-single-sign-on');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download' }).click();
    assert.match((await download).suggestedFilename(), /\.xml$/);
    spMetadataFile = join(dir, 'ringcentral-sp-metadata.xml');
    await (await download).saveAs(spMetadataFile);
  });

  it('JumpCloud 2: uploads the RingCentral metadata and saves', async () => {
    await page.goto(`${url}/idp/admin/apps/ringcentral`);
    await page.getByLabel('SP metadata file').setInputFiles(spMetadataFile);
    await page.getByRole('button', { name: 'Upload Metadata', exact: true }).click();
    await page.getByText(/Uploaded the SP metadata of/).waitFor();
    await look('idp-application-metadata');
  });

  it('RingCentral 2: enables SSO and sets Manage Your Login', async () => {
    await ringCentral2(page, url, accountId);
    await look('sp-sso-enabled');
  });

  it('authorizes one group from the application panel and another from the groups panel', async () => {
    await page.goto(`${url}/idp/admin/users`);
    await addIdpUser(page, { email: 'ann@acme.test', firstName: 'Ann', lastName: 'Lee', street: '1 Main St', region: 'CA', postalCode: '94002', department: 'Sales', phone: '+16505550100', password: 'ann-password-1' });
    await look('idp-users');

    await page.goto(`${url}/idp/admin/groups`);
    for (const name of ['RingCentral Users', 'RingCentral Sales']) {
      await page.getByLabel('Group name').fill(name);
      await page.getByRole('button', { name: 'Save group' }).click();
      await page.getByRole('link', { name }).waitFor();
    }
    await page.getByLabel('Add a member').first().selectOption({ label: 'ann@acme.test' });
    await page.getByRole('button', { name: 'Add', exact: true }).first().click();
    await page.getByRole('cell', { name: 'ann@acme.test' }).first().waitFor();
    await look('idp-groups');

    // From the application panel: its User Groups, tick the group, save.
    await page.goto(`${url}/idp/admin/apps/ringcentral`);
    await page.getByLabel('RingCentral Users').check();
    await page.locator('form[action$="/groups"] button').click();
    await page.getByText('Saved the bound groups.').waitFor();
    // From the groups panel: the group's Applications, tick RingCentral, save.
    await page.goto(`${url}/idp/admin/groups`);
    await page.getByRole('link', { name: 'RingCentral Sales' }).click();
    await page.getByLabel('RingCentral').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved: the group may use RingCentral.').waitFor();
    await look('idp-group-applications');
  });

  it('validates SSO: an SP-initiated login lands on RingCentral', async () => {
    const p = await spInitiatedLogin(url, 'ann@acme.test', 'ann-password-1');
    await arrive(p, (u) => u.pathname === '/sp/home');
    assert.match(await text(p), /ann@acme\.test/);
    await p.close();
  });

  it('Identity Management: configure, a non-admin refused, then the administrator authorizes and it is verified', async () => {
    const configure = async (email: string, password: string): Promise<void> => {
      await page.goto(`${url}/idp/admin/apps/ringcentral`);
      await page.getByRole('button', { name: 'Configure and Authorize' }).click();
      await signInAtRingCentral(page, email, password);
    };
    await configure('bob@acme.test', 'bob-rc-password-1');
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByRole('heading', { name: 'You need administrator permissions' }).waitFor();
    assert.match(await text(), /Only a User Admin or higher/);
    await look('idm-not-admin');
    await configure('ann@acme.test', 'ann-rc-password-1');
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByText(/successfully verified/).waitFor();
    await look('idm-verified');
  });

  it('provisions a user created in the IdP console; the activation email activates it', async () => {
    await page.goto(`${url}/idp/admin/users`);
    await addIdpUser(page, { email: 'dana@acme.test', firstName: 'Dana', lastName: 'New', street: '2 Main St', password: 'dana-password-1' });
    await page.goto(`${url}/idp/admin/groups`);
    await page.getByLabel('Add a member').first().selectOption({ label: 'dana@acme.test' });
    await page.getByRole('button', { name: 'Add', exact: true }).first().click();
    await until(`/sp/admin/accounts/${encodeURIComponent(accountId)}/users`, /dana@acme\.test.*pending/s);
    await look('sp-users-provisioned');
    await page.goto(`${url}/sp/accounts/${encodeURIComponent(accountId)}/outbox`);
    await page.locator('a[href*="/sp/activate/"]').first().click();
    await arrive(page, (u) => u.pathname.startsWith('/sp/activate/'));
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('is active').waitFor();
    await look('sp-activated');
  });

  it('imports one of two New users with the New Users only filter', async () => {
    await page.goto(`${url}/sp/admin/accounts/${encodeURIComponent(accountId)}/users`);
    for (const [email, first] of [['erin@acme.test', 'Erin'], ['finn@acme.test', 'Finn']] as const) await addSpUser(page, { email, firstName: first, lastName: 'Old' });
    await page.goto(`${url}/idp/admin/apps/ringcentral`);
    await page.getByRole('link', { name: 'manual import' }).click();
    await page.getByLabel('New Users only').check();
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await page.getByLabel('erin@acme.test').waitFor();
    assert.match(await text(), /Imported users must be members of a user group bound to an application/);
    await look('idm-manual-import');
    await page.getByLabel('erin@acme.test').check();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText(/Imported 1 of 1 users/).waitFor();
    await look('idm-import-results');
    await page.goto(`${url}/idp/admin/users`);
    const users = await text();
    assert.match(users, /erin@acme\.test/);
    assert.doesNotMatch(users, /finn@acme\.test/);
  });

  it('removes the integration: deactivates IdM, deactivates SSO, deletes the application with its count; RingCentral users stay', async () => {
    await page.goto(`${url}/idp/admin/apps/ringcentral`);
    await page.getByRole('link', { name: 'Deactivate IdM connection' }).click();
    await look('idm-deactivate-confirm');
    await page.getByRole('button', { name: 'confirm' }).click();
    await page.getByText(/Identity Management deactivated/).waitFor();

    await page.getByRole('link', { name: 'Deactivate SSO' }).click();
    await page.locator('#save-sso-switch').click();
    await page.getByText(/SSO deactivated for/).waitFor();
    await look('idp-sso-deactivated');

    await page.goto(`${url}/idp/admin`);
    await page.getByLabel('Select RingCentral').check();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByLabel('Enter the number of the applications you are deleting').fill('1');
    await look('idp-delete-applications');
    await page.getByRole('button', { name: 'Delete Application' }).click();
    await page.getByText(/Deleted 1 application: RingCentral/).waitFor();
    await look('idp-application-deleted');

    await page.goto(`${url}/sp/admin/accounts/${encodeURIComponent(accountId)}/users`);
    assert.match(await text(), /ann@acme\.test\s*Ann Lee\s*active/);
  });
});
