// Steps of the vendor documents that more than one browser walk-through clicks, in the document's
// words: the admin sign-in, a RingCentral account and its users (the prerequisites), IdP users,
// RingCentral 1 (Upload IdP Metadata by URL, Map Email Attribute to Custom "email", Save),
// RingCentral 2 (Enable SSO, Manage Your Login, Save), the RingCentral sign-in an IdP's
// "authenticate" opens, and an SP-initiated login in a browser of its own.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openBrowser, watchPages } from './browser.js';
import { ADMIN_TOKEN } from './harness.js';

const ssoPage = (baseUrl: string, accountId: string): string => `${baseUrl}/sp/admin/accounts/${encodeURIComponent(accountId)}/sso`;

/** Waits until the page is at a URL this predicate accepts and has loaded (it may be there already). */
export async function arrive(p: Page, at: (u: URL) => boolean): Promise<void> {
  for (let i = 0; i < 400 && !at(new URL(p.url())); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(at(new URL(p.url())), `still at ${p.url()}`);
  await p.waitForLoadState();
}

export const mainText = async (p: Page): Promise<string> => (await p.locator('main').textContent()) ?? '';

/** Opens `path`, signs in to the consoles with the admin token when asked, and lands there. */
export async function signInToConsoles(page: Page, baseUrl: string, path: string): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await arrive(page, (u) => u.pathname === '/admin/login');
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arrive(page, (u) => u.pathname === path);
}

/** On the SP console: a new account on `plan`; answers its id, on its Users page. */
export async function createSpAccount(page: Page, baseUrl: string, name: string, plan: string): Promise<string> {
  await page.goto(`${baseUrl}/sp/admin`);
  await page.getByLabel('Account name').fill(name);
  await page.getByLabel('Plan').selectOption({ label: plan });
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('link', { name: 'Users' }).first().click();
  await arrive(page, (u) => /^\/sp\/admin\/accounts\/[^/]+\/users$/.test(u.pathname));
  return decodeURIComponent(new URL(page.url()).pathname.split('/')[4] ?? '');
}

export interface ConsoleUser {
  email: string;
  firstName: string;
  lastName: string;
  password?: string;
}

/** On the SP account's Users page: Add user (with a role and password for a signed-in user). */
export async function addSpUser(page: Page, user: ConsoleUser & { role?: string }): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('First name').fill(user.firstName);
  await page.getByLabel('Last name').fill(user.lastName);
  if (user.role) await page.getByLabel('Role').selectOption({ label: user.role });
  if (user.password) await page.getByLabel(/^Password/).fill(user.password);
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByRole('cell', { name: user.email }).waitFor();
}

/** On the IdP's Users page: a user RingCentral's default SCIM rules accept (an address with a country). */
export async function addIdpUser(
  page: Page,
  user: ConsoleUser & { password: string; street: string; region?: string; postalCode?: string; department?: string; phone?: string },
): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('First name').fill(user.firstName);
  await page.getByLabel('Last name').fill(user.lastName);
  await page.getByLabel('Street address').fill(user.street);
  await page.getByLabel('City (locality)').fill('Belmont');
  if (user.region) await page.getByLabel('State or region').fill(user.region);
  if (user.postalCode) await page.getByLabel('Postal code').fill(user.postalCode);
  await page.getByLabel('Country (e.g. US)').fill('US');
  if (user.department) await page.getByLabel('Department').fill(user.department);
  if (user.phone) await page.getByLabel('Phone 1 number').fill(user.phone);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Save user' }).click();
  await page.getByText(`Saved ${user.email}`).waitFor();
}

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

/** The RingCentral Sign In window an IdP's authorization opens: email or phone number, Next, password, Sign In. */
export async function signInAtRingCentral(page: Page, login: string, password: string, extension?: string): Promise<void> {
  await arrive(page, (u) => u.pathname.startsWith('/restapi/oauth/'));
  await page.getByLabel('Email or phone number').fill(login);
  await page.getByRole('button', { name: 'Next' }).click();
  if (extension !== undefined) await page.getByLabel('Extension (optional)').fill(extension);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
  await page.waitForLoadState();
}

/** An SP-initiated login in its own browser: SP login page, IdP sign-in (the email prefilled), back at the SP. */
export async function spInitiatedLogin(baseUrl: string, email: string, password: string): Promise<Page> {
  const other = await openBrowser();
  const p = other.page;
  p.once('close', () => void other.close());
  watchPages(p);
  await p.goto(`${baseUrl}/sp/login`);
  await p.getByLabel('Email').fill(email);
  await p.getByRole('button', { name: 'Next' }).click();
  await arrive(p, (u) => u.pathname === '/idp/login');
  assert.equal(await p.getByLabel('Email or username').inputValue(), email, 'the email typed at the SP is prefilled');
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: /Sign in/ }).click();
  await p.waitForLoadState();
  return p;
}
