// Steps of the vendor documents that more than one browser walk-through clicks, in the document's
// words: RingCentral 1 (Upload IdP Metadata by URL, Map Email Attribute to Custom "email", Save)
// and RingCentral 2 (Enable SSO, Manage Your Login, Save), on the SP account's Single Sign-on page.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

const ssoPage = (baseUrl: string, accountId: string): string => `${baseUrl}/sp/admin/accounts/${encodeURIComponent(accountId)}/sso`;

export async function ringCentral1(page: Page, baseUrl: string, accountId: string, idpMetadataUrl: string): Promise<void> {
  await page.goto(ssoPage(baseUrl, accountId));
  await page.getByLabel('Upload from').selectOption('url');
  await page.getByLabel('Metadata URL').fill(idpMetadataUrl);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText(/Imported the metadata of/).waitFor();
  await page.getByLabel('Map Email Attribute to').selectOption('custom');
  await page.getByLabel(/Custom attribute name/).fill('email');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await page.getByText('Saved: the email comes from attribute email.').waitFor();
}

export async function ringCentral2(page: Page, baseUrl: string, accountId: string): Promise<void> {
  await page.goto(ssoPage(baseUrl, accountId));
  await page.getByLabel('Enable SSO').check();
  await page.getByLabel('SSO or RingCentral password').check();
  await page.locator('form[action$="/settings"] button').click();
  await page.getByText('Saved.').waitFor();
  assert.equal(await page.getByLabel('Enable SSO').isChecked(), true);
}
