// SP accounts and their "Single Sign-on" page: Upload IdP Metadata (URL or file), Attribute
// Mapping, Enable SSO, Manage Your Login. Nothing half-configured is saved: each change is
// checked whole and written in one transaction.
import { randomUUID } from 'node:crypto';
import { HarnessError } from '../errors.js';
import { describeFetchFailure, isAbort, PeerBodyError, readPeerBody } from '../peer-body.js';
import { parseIdpMetadata, type ParsedIdpMetadata } from '../saml/metadata-parse.js';
import type { Store, Table, TableRef } from '../store/types.js';
import { parseInput } from '../validation.js';
import { slotsFromMetadata, withCertificateSlots } from './idp-certificates.js';
import {
  accountInput,
  accountSettingsInput,
  metadataImportInput,
  scimSettingsInput,
  ssoSettingsInput,
  type AccountInput,
  type AccountSettingsInput,
  type MetadataImportInput,
  type ScimSettingsInput,
  type SsoSettingsInput,
} from './inputs.js';
import {
  DEFAULT_SCIM_SETTINGS,
  DEFAULT_SSO_SETTINGS,
  SP_ACCOUNTS,
  SP_USERS,
  type Account,
  type ImportedIdp,
  type ScimSettings,
  type SsoSettings,
} from './model.js';
import { SP_ACCOUNT_OAUTH_CLIENTS } from './oauth/account-clients.js';
import { assertPlanIncludes, DEFAULT_PLAN, PLAN_LABELS, planIncludes } from './plans.js';
import { SP_SCIM_TOKENS } from './scim-tokens.js';

export interface MetadataFetchOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
}

export interface ImportResult {
  account: Account;
  parsed: ParsedIdpMetadata;
}

export class SpAccounts {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
    private readonly fetchOptions: MetadataFetchOptions,
    /** Whether the SP has an encryption key pair (config `sp.encryptionKey`): decryptAssertions needs one. */
    private readonly hasEncryptionKey = false,
  ) {}

  private accounts(s: Store = this.store): Table<Account> {
    return s.table(SP_ACCOUNTS);
  }

  async list(): Promise<Account[]> {
    return this.accounts().list();
  }

  async get(id: string): Promise<Account> {
    const account = await this.accounts().get(id);
    if (!account) throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${id}`, { received: id });
    return account;
  }

  async create(input: AccountInput): Promise<Account> {
    const data = parseInput(accountInput, input, 'account');
    const account: Account = {
      id: data.id ?? randomUUID(),
      name: data.name,
      plan: data.plan ?? DEFAULT_PLAN,
      createdAt: new Date(this.nowMs()).toISOString(),
      sso: { ...DEFAULT_SSO_SETTINGS },
      scim: structuredClone(DEFAULT_SCIM_SETTINGS),
    };
    return this.accounts().insert(account);
  }

  /**
   * The account's own settings: its name and plan. A plan without SSO is refused while SSO is
   * enabled: the administrator disables SSO first, as nothing would say why logins stopped.
   */
  async updateAccount(id: string, input: AccountSettingsInput): Promise<Account> {
    const changes = parseInput(accountSettingsInput, input, 'account settings');
    return this.store.transaction(async (tx) => {
      const current = await this.accounts(tx).get(id);
      if (!current) throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${id}`);
      const next: Account = { ...current, ...changes };
      if (changes.plan !== undefined && current.sso.enabled && !planIncludes(changes.plan, 'sso')) {
        throw new HarnessError('SP_PLAN_NOT_ALLOWED', `the ${PLAN_LABELS[changes.plan]} plan includes no Single Sign-on, and SSO is enabled for ${current.name}`, {
          expected: 'Premium or Enterprise while SSO is enabled',
          received: `the ${PLAN_LABELS[changes.plan]} plan`,
          setting: 'Enable SSO (switch it off first), or keep Premium or Enterprise',
          fields: { plan: 'disable SSO before choosing a plan without it' },
        });
      }
      return this.accounts(tx).update(next);
    });
  }

  /** The account whose imported IdP metadata has this entity ID (they are unique across accounts). */
  async findByIdpEntityId(entityId: string): Promise<Account | undefined> {
    // From the store's index on the nested field, not a scan of every account per login.
    return (await this.accounts().findBy('sso.idp.entityId', entityId)).find((a) => a.sso.idp?.entityId === entityId);
  }

  /** "Upload IdP Metadata": by URL (fetched with a timeout and a size cap) or by XML. */
  async importIdpMetadata(accountId: string, input: MetadataImportInput): Promise<ImportResult> {
    const source = parseInput(metadataImportInput, input, 'IdP metadata import');
    const xml = 'url' in source ? await this.fetchMetadata(source.url) : source.xml;
    const parsed = parseIdpMetadata(xml, { nowMs: this.nowMs() });
    const signing = parsed.certificates.filter((c) => c.use !== 'encryption').map((c) => c.base64);
    const imported: ImportedIdp = {
      entityId: parsed.entityId,
      ssoServices: parsed.ssoServices,
      sloServices: parsed.sloServices,
      certificates: signing,
      certificateSlots: slotsFromMetadata(signing),
      attributes: parsed.attributes,
      nameIdFormats: parsed.nameIdFormats,
      wantAuthnRequestsSigned: parsed.wantAuthnRequestsSigned,
      source: 'url' in source ? { kind: 'url', url: source.url } : { kind: 'file' },
      importedAt: new Date(this.nowMs()).toISOString(),
    };
    const account = await this.store.transaction(async (tx) => {
      const current = await this.accounts(tx).get(accountId);
      if (!current) throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${accountId}`);
      const clash = (await this.accounts(tx).list()).find((a) => a.id !== accountId && a.sso.idp?.entityId === parsed.entityId);
      if (clash) {
        throw new HarnessError(
          'SP_IDP_ENTITY_TAKEN',
          `the IdP entity ID ${parsed.entityId} is already used by account ${clash.name} (${clash.id}); an IdP entity ID can belong to one account only`,
          {
            expected: 'an IdP entity ID no other account uses (give this account its own IdP application, or a distinct IdP Entity ID)',
            received: parsed.entityId,
          },
        );
      }
      const sso: SsoSettings = { ...current.sso, idp: imported };
      // A mapping to an attribute the new metadata no longer offers is kept as the administrator's
      // own (Custom) choice, which the console shows with a warning: dropping it would leave SSO
      // enabled with no mapping, and the page showing a choice nobody saved.
      if (sso.emailMapping?.kind === 'attribute' && !imported.attributes.includes(sso.emailMapping.name)) {
        sso.emailMapping = { kind: 'custom', name: sso.emailMapping.name };
      }
      return this.accounts(tx).update({ ...current, sso });
    });
    return { account, parsed };
  }

  private async fetchMetadata(url: string): Promise<string> {
    const { fetch: fetchImpl, timeoutMs, maxBytes } = this.fetchOptions;
    const expected = 'the IdP metadata URL (e.g. JumpCloud\'s "Copy Metadata URL")';
    let response: Response;
    try {
      // One deadline for the headers and the whole body: the signal also aborts the body read.
      response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (err) {
      const timedOut = isAbort(err);
      throw new HarnessError('METADATA_FETCH', timedOut ? `${url} did not answer within ${timeoutMs} ms` : `${url} could not be reached`, {
        expected,
        received: timedOut ? 'a timeout' : describeFetchFailure(err, timeoutMs),
      });
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new HarnessError('METADATA_FETCH', `${url} answered HTTP ${response.status}`, {
        expected: 'HTTP 200 with an XML metadata document',
        received: `HTTP ${response.status}`,
      });
    }
    try {
      return (await readPeerBody(response, { maxBytes, timeoutMs })).toString('utf8');
    } catch (err) {
      if (!(err instanceof PeerBodyError)) throw err;
      if (err.kind === 'too-large') {
        throw new HarnessError('METADATA_FETCH', `${url} returned more than ${maxBytes} bytes`, {
          expected: `a metadata document of at most ${maxBytes} bytes`,
          received: err.message,
        });
      }
      const timedOut = err.kind === 'timeout';
      throw new HarnessError('METADATA_FETCH', timedOut ? `${url} did not send the whole document within ${timeoutMs} ms` : `${url} broke off while sending the document`, {
        expected: `${expected}, answered in full within ${timeoutMs} ms`,
        received: err.message,
      });
    }
  }

  /** Attribute Mapping, Enable SSO, Manage Your Login and the strictness switches. */
  async updateSso(accountId: string, input: SsoSettingsInput): Promise<Account> {
    const changes = parseInput(ssoSettingsInput, input, 'SSO settings');
    return this.store.transaction(async (tx) => {
      const current = await this.accounts(tx).get(accountId);
      if (!current) throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${accountId}`);
      const { idpCertificates, ...settings } = changes;
      const sso: SsoSettings = { ...current.sso, ...settings };
      if (idpCertificates) {
        if (!sso.idp) throw new HarnessError('SP_SSO_NOT_CONFIGURED', 'IdP certificates cannot be set before IdP metadata is imported');
        sso.idp = withCertificateSlots(sso.idp, idpCertificates);
      }
      if (changes.decryptAssertions === true && !this.hasEncryptionKey) {
        throw new HarnessError('INPUT_INVALID', 'the SP has no encryption key, so it cannot decrypt assertions', {
          expected: 'an SP started with an encryption key pair (config sp.encryptionKey: true, or keys.spEncryption)',
          received: 'decryptAssertions: true on an SP without one',
          setting: 'sp.encryptionKey (harness configuration)',
          fields: { decryptAssertions: 'needs an SP encryption key' },
        });
      }
      if (changes.emailMapping?.kind === 'attribute') {
        const offered = sso.idp?.attributes ?? [];
        if (!offered.includes(changes.emailMapping.name)) {
          throw new HarnessError('INPUT_INVALID', `the IdP metadata offers no attribute ${changes.emailMapping.name}`, {
            expected: offered.length > 0 ? `one of ${offered.join(', ')}, or Custom with a typed name` : 'Custom with a typed name (the metadata lists no attributes)',
            received: changes.emailMapping.name,
            fields: { 'emailMapping.name': 'not offered by the IdP metadata' },
          });
        }
      }
      if (sso.enabled) {
        if (changes.enabled === true) assertPlanIncludes(current, 'sso');
        if (!sso.idp) {
          throw new HarnessError('SP_SSO_NOT_CONFIGURED', 'SSO cannot be enabled before IdP metadata is imported');
        }
        if (!sso.emailMapping) {
          throw new HarnessError('INPUT_INVALID', 'SSO cannot be enabled before the email attribute is mapped', {
            setting: 'Map Email Attribute to',
            fields: { emailMapping: 'required to enable SSO' },
          });
        }
      }
      return this.accounts(tx).update({ ...current, sso });
    });
  }

  /** The SCIM rule switches, licence pools and rate limiting. */
  async updateScim(accountId: string, input: ScimSettingsInput): Promise<Account> {
    const changes = parseInput(scimSettingsInput, input, 'SCIM settings');
    return this.store.transaction(async (tx) => {
      const current = await this.accounts(tx).get(accountId);
      if (!current) throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${accountId}`);
      const scim: ScimSettings = {
        rules: { ...current.scim.rules, ...changes.rules },
        extensions: changes.extensions?.map((p) => ({ country: p.country.toUpperCase(), available: p.available })) ?? current.scim.extensions,
        digitalLines: changes.digitalLines ?? current.scim.digitalLines,
        rateLimits: changes.rateLimits ?? current.scim.rateLimits,
        directoryProvider: changes.directoryProvider ?? current.scim.directoryProvider ?? 'none',
      };
      return this.accounts(tx).update({ ...current, scim });
    });
  }

  async delete(id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await this.accounts(tx).delete(id))) throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${id}`);
      // Users and the outside clients' credentials go with the account: an account made again
      // under the same id starts with none of them.
      const deleteOf = async <T extends { id: string; accountId: string }>(ref: TableRef<T>): Promise<void> => {
        const table = tx.table(ref);
        for (const row of await table.findBy('accountId', id)) await table.delete(row.id);
      };
      await deleteOf(SP_USERS);
      await deleteOf(SP_ACCOUNT_OAUTH_CLIENTS);
      await deleteOf(SP_SCIM_TOKENS);
    });
  }
}
