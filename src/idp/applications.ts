// IdP applications: created from the catalogue, configured like JumpCloud's SSO tab, and
// published as per-application IdP metadata (the "Metadata URL").
import type { SigningKey } from '../crypto/keys.js';
import { HarnessError } from '../errors.js';
import { buildFederationMetadata } from '../saml/federation-metadata.js';
import { buildIdpMetadata } from '../saml/metadata-build.js';
import { parseSpMetadata } from '../saml/metadata-parse.js';
import { newSamlId, newSamlIdIn } from '../saml/ids.js';
import { signMetadata } from '../saml/metadata-sign.js';
import { BINDING, NAMEID_FORMAT, signatureAlgorithmFor } from '../saml/urn.js';
import type { Store, Table } from '../store/types.js';
import { parseInput } from '../validation.js';
import type { AppSigningKeys, IdpAppKeys } from './app-keys.js';
import { catalogueEntry, CATALOGUE, fillDomain } from './catalogue.js';
import type { IdpEvents } from './events.js';
import { appCreateInput, appSettings, type AppCreateInput, type AppSettings } from './inputs.js';
import { IDP_APPS, IDP_GROUPS, IDP_USERS, type IdpApp, type IdpFlavor } from './model.js';
import {
  ENTRA_OFFERED_CLAIMS,
  entraAppId,
  entraWsfedUrl,
  flavorDefaults,
  flavorEndpoints,
  genericEndpoints,
  guidFrom,
  OKTA_ORG,
  type AppEndpoints,
  type VendorIdentity,
} from './flavor-traits.js';
import { requireScenario } from './response-scenarios.js';
import { appEncryption } from './assertion-encryption.js';

/** Published IdP metadata is valid for a week and may be cached for an hour. */
const METADATA_VALID_MS = 7 * 86_400_000;
const METADATA_CACHE_DURATION = 'PT1H';

export type { AppEndpoints } from './flavor-traits.js';

export class IdpApplications {
  constructor(
    private readonly store: Store,
    private readonly baseUrl: string,
    private readonly key: SigningKey,
    private readonly nowMs: () => number,
    private readonly events: IdpEvents,
    private readonly keys: IdpAppKeys,
    /** The flavour of a new application that names none (the harness's `idpFlavor`). */
    private readonly defaultFlavor: IdpFlavor = 'jumpcloud',
    /** The Entra tenant and Okta org the flavoured URLs carry. */
    readonly vendor: VendorIdentity = { entraTenantId: guidFrom(`entra-tenant ${baseUrl}`), oktaOrg: OKTA_ORG },
  ) {}

  private apps(s: Store = this.store): Table<IdpApp> {
    return s.table(IDP_APPS);
  }

  /** The URLs the application publishes, shaped like its flavour's vendor's. */
  endpoints(app: Pick<IdpApp, 'id' | 'flavor'>): AppEndpoints {
    return flavorEndpoints(this.baseUrl, app, this.flavorOf(app), this.vendor);
  }

  /** Every URL the application's SSO service answers at: its flavour's, and the harness's own. */
  ssoUrls(app: Pick<IdpApp, 'id' | 'flavor'>): string[] {
    return [...new Set([this.endpoints(app).ssoUrl, genericEndpoints(this.baseUrl, app.id).ssoUrl])];
  }

  flavorOf(app: Pick<IdpApp, 'flavor'>): IdpFlavor {
    return app.flavor ?? this.defaultFlavor;
  }

  async list(): Promise<IdpApp[]> {
    return this.apps().list();
  }

  async get(id: string): Promise<IdpApp> {
    const app = await this.apps().get(id);
    if (!app) throw new HarnessError('IDP_APP_NOT_FOUND', `no IdP application ${id}`, { received: id });
    return app;
  }

  /** "+ Add New Application" → pick from the catalogue → configure. */
  async create(input: AppCreateInput): Promise<IdpApp> {
    const { template: templateId, id: requestedId, ...settings } = parseInput(appCreateInput, input, 'application');
    const template = catalogueEntry(templateId);
    if (!template) {
      throw new HarnessError('INPUT_INVALID', `no catalogue entry ${templateId}`, {
        expected: CATALOGUE.map((e) => e.id).join(', '),
        received: templateId,
        fields: { template: 'unknown' },
      });
    }
    const created = await this.store.transaction(async (tx) => {
      const id = requestedId ?? (await this.freeId(tx, template.id));
      if (await this.apps(tx).get(id)) {
        throw new HarnessError('CONFLICT', `an application with id ${id} exists`, { fields: { id: 'already taken' } });
      }
      const flavor = settings.flavor ?? this.defaultFlavor;
      const defaults = structuredClone(template.defaults);
      const base: IdpApp = {
        id,
        template: template.id,
        ...defaults,
        ssoActive: true,
        idpEntityId: genericEndpoints(this.baseUrl, id).metadataUrl.replace(/\/metadata$/, ''),
        groups: [],
        flavor,
        responseScenario: 'valid',
        createdAt: new Date(this.nowMs()).toISOString(),
        ...flavorDefaults(flavor, defaults, this.vendor),
      };
      const app = await this.applySettings(tx, base, settings);
      return this.apps(tx).insert(app);
    });
    this.announceBindings(created.id, [], created.groups);
    this.announceAssignments(created.id, [], created.users ?? []);
    return created;
  }

  private async freeId(tx: Store, stem: string): Promise<string> {
    for (let n = 1; ; n++) {
      const id = n === 1 ? stem : `${stem}-${n}`;
      if (!(await this.apps(tx).get(id))) return id;
    }
  }

  async update(id: string, input: AppSettings): Promise<IdpApp> {
    const settings = parseInput(appSettings, input, 'application settings');
    const [before, after] = await this.store.transaction(async (tx) => {
      const current = await this.apps(tx).get(id);
      if (!current) throw new HarnessError('IDP_APP_NOT_FOUND', `no IdP application ${id}`);
      return [current, await this.apps(tx).update(await this.applySettings(tx, current, settings))] as const;
    });
    this.announceBindings(id, before.groups, after.groups);
    this.announceAssignments(id, before.users ?? [], after.users ?? []);
    return after;
  }

  /** Direct assignments changed through the Assignments view or a settings update. */
  private announceAssignments(appId: string, before: readonly string[], after: readonly string[]): void {
    for (const userId of before) if (!after.includes(userId)) this.events.emit({ type: 'user.unassigned', appId, userId });
    for (const userId of after) if (!before.includes(userId)) this.events.emit({ type: 'user.assigned', appId, userId });
  }

  /** Group bindings changed through the User Groups tab or a settings update. */
  private announceBindings(appId: string, before: readonly string[], after: readonly string[]): void {
    for (const groupId of before) if (!after.includes(groupId)) this.events.emit({ type: 'group.unbound', appId, groupId });
    for (const groupId of after) if (!before.includes(groupId)) this.events.emit({ type: 'group.bound', appId, groupId });
  }

  private async applySettings(tx: Store, app: IdpApp, s: ReturnType<typeof appSettings.parse>): Promise<IdpApp> {
    const next: IdpApp = structuredClone(app);
    if (s.displayLabel !== undefined) next.displayLabel = s.displayLabel;
    if (s.description !== undefined) next.description = s.description;
    if (s.ssoActive !== undefined) next.ssoActive = s.ssoActive;
    if (s.idpEntityId !== undefined) next.idpEntityId = s.idpEntityId;
    if (s.spEntityId !== undefined) next.sp.entityId = s.spEntityId;
    if (s.loginUrl !== undefined) next.sp.loginUrl = s.loginUrl;
    if (s.acsUrls !== undefined) {
      next.sp.acs = s.acsUrls.map((a, index) => ({
        url: a.url,
        binding: a.binding ?? BINDING.post,
        index: a.index ?? index,
        isDefault: a.isDefault ?? index === 0,
      }));
    }
    if (s.mydomain !== undefined) next.sp = fillDomain(next.sp, s.mydomain);
    if (s.nameIdProperty !== undefined) next.nameId.property = s.nameIdProperty;
    if (s.nameIdFormat !== undefined) next.nameId.format = s.nameIdFormat;
    if (s.signAssertion !== undefined) next.signing.assertion = s.signAssertion;
    if (s.signResponse !== undefined) next.signing.response = s.signResponse;
    if (!next.signing.assertion && !next.signing.response) {
      throw new HarnessError('INPUT_INVALID', 'sign the assertion, the response, or both', {
        fields: { signAssertion: 'both signatures would be off' },
      });
    }
    if (s.signatureAlgorithm !== undefined) next.signing.algorithm = s.signatureAlgorithm;
    if (s.encryption !== undefined) next.encryption = { ...appEncryption(next), ...s.encryption };
    if (s.attributes !== undefined) next.attributes = s.attributes;
    if (s.responseScenario !== undefined) next.responseScenario = requireScenario(s.responseScenario).id;
    if (s.signMetadata !== undefined) next.signMetadata = s.signMetadata;
    if (s.idpInitiated !== undefined) next.idpInitiated = s.idpInitiated;
    // An empty text clears these two.
    if (s.defaultRelayState !== undefined) next.defaultRelayState = s.defaultRelayState || undefined;
    if (s.adminEmail !== undefined) next.adminEmail = s.adminEmail || undefined;
    if (s.declareRedirectEndpoint !== undefined) next.declareRedirectEndpoint = s.declareRedirectEndpoint;
    if (s.assertionValidity !== undefined) next.assertionValidity = s.assertionValidity;
    if (s.idStyle !== undefined) next.idStyle = s.idStyle;
    if (s.attributeNameFormat !== undefined) next.attributeNameFormat = s.attributeNameFormat;
    if (s.ssoRateLimit !== undefined) next.ssoRateLimit = s.ssoRateLimit;
    if (s.groups !== undefined) {
      for (const g of s.groups) {
        if (!(await tx.table(IDP_GROUPS).get(g))) throw new HarnessError('NOT_FOUND', `no IdP group with id ${g}`);
      }
      next.groups = [...new Set(s.groups)];
    }
    if (s.flavor !== undefined) next.flavor = s.flavor;
    if (s.users !== undefined) {
      for (const u of s.users) {
        if (!(await tx.table(IDP_USERS).get(u))) throw new HarnessError('NOT_FOUND', `no IdP user with id ${u}`);
      }
      next.users = [...new Set(s.users)];
    }
    return next;
  }

  /** "Upload Metadata" on the SSO tab: the SP's entity ID, ACS URLs, certificates and request signing. */
  async uploadSpMetadata(id: string, xml: string): Promise<IdpApp> {
    const parsed = parseSpMetadata(xml, { nowMs: this.nowMs() });
    return this.store.transaction(async (tx) => {
      const current = await this.apps(tx).get(id);
      if (!current) throw new HarnessError('IDP_APP_NOT_FOUND', `no IdP application ${id}`);
      const next: IdpApp = {
        ...current,
        sp: {
          ...current.sp,
          entityId: parsed.entityId,
          acs: parsed.acs.map((a) => ({ url: a.location, binding: a.binding, index: a.index, isDefault: a.isDefault })),
          authnRequestsSigned: parsed.authnRequestsSigned,
          wantAssertionsSigned: parsed.wantAssertionsSigned,
          certificates: parsed.certificates.filter((c) => c.use !== 'encryption').map((c) => c.base64),
          encryptionCertificates: parsed.certificates.filter((c) => c.use !== 'signing').map((c) => c.base64),
          sloServices: parsed.sloServices,
          metadataUploadedAt: new Date(this.nowMs()).toISOString(),
        },
      };
      return this.apps(tx).update(next);
    });
  }

  async bindGroup(id: string, groupId: string, bound: boolean): Promise<IdpApp> {
    const [before, after] = await this.store.transaction(async (tx) => {
      const app = await this.apps(tx).get(id);
      if (!app) throw new HarnessError('IDP_APP_NOT_FOUND', `no IdP application ${id}`);
      if (!(await tx.table(IDP_GROUPS).get(groupId))) throw new HarnessError('NOT_FOUND', `no IdP group with id ${groupId}`);
      const groups = app.groups.filter((g) => g !== groupId);
      if (bound) groups.push(groupId);
      return [app, await this.apps(tx).update({ ...app, groups })] as const;
    });
    this.announceBindings(id, before.groups, after.groups);
    return after;
  }

  /** The applications a group is bound to (the Groups panel's Applications tab). */
  async appsOfGroup(groupId: string): Promise<IdpApp[]> {
    if (!(await this.store.table(IDP_GROUPS).get(groupId))) throw new HarnessError('NOT_FOUND', `no IdP group with id ${groupId}`);
    return (await this.apps().list()).filter((a) => a.groups.includes(groupId));
  }

  /**
   * Authorizes a group for exactly these applications, from the Groups panel: the same bindings
   * as each application's User Groups tab, changed in one transaction.
   */
  async setAppsOfGroup(groupId: string, appIds: readonly string[]): Promise<IdpApp[]> {
    const changes = await this.store.transaction(async (tx) => {
      if (!(await tx.table(IDP_GROUPS).get(groupId))) throw new HarnessError('NOT_FOUND', `no IdP group with id ${groupId}`);
      const apps = await this.apps(tx).list();
      for (const id of appIds) {
        if (!apps.some((a) => a.id === id)) throw new HarnessError('IDP_APP_NOT_FOUND', `no IdP application ${id}`, { received: id, fields: { apps: 'unknown application' } });
      }
      const out: [IdpApp, IdpApp][] = [];
      for (const app of apps) {
        const wanted = appIds.includes(app.id);
        if (wanted === app.groups.includes(groupId)) continue;
        const groups = wanted ? [...app.groups, groupId] : app.groups.filter((g) => g !== groupId);
        out.push([app, await this.apps(tx).update({ ...app, groups })]);
      }
      return out;
    });
    for (const [before, after] of changes) this.announceBindings(after.id, before.groups, after.groups);
    return this.appsOfGroup(groupId);
  }

  /** "Assign to People": the user may sign in to the application without a bound group. */
  async assignUser(id: string, userId: string, assigned: boolean): Promise<IdpApp> {
    const [before, after] = await this.store.transaction(async (tx) => {
      const app = await this.apps(tx).get(id);
      if (!app) throw new HarnessError('IDP_APP_NOT_FOUND', `no IdP application ${id}`);
      if (!(await tx.table(IDP_USERS).get(userId))) throw new HarnessError('NOT_FOUND', `no IdP user with id ${userId}`);
      const users = (app.users ?? []).filter((u) => u !== userId);
      if (assigned) users.push(userId);
      return [app, await this.apps(tx).update({ ...app, users })] as const;
    });
    this.announceAssignments(id, before.users ?? [], after.users ?? []);
    return after;
  }

  async delete(id: string): Promise<void> {
    const app = await this.store.transaction(async (tx) => {
      const existing = await this.apps(tx).get(id);
      if (!existing || !(await this.apps(tx).delete(id))) throw new HarnessError('IDP_APP_NOT_FOUND', `no IdP application ${id}`);
      await this.keys.forget(tx, id);
      return existing;
    });
    this.events.emit({ type: 'app.deleted', app });
  }

  /** The metadata the Metadata URL serves: with the application's own keys (current, then next). */
  async publishedMetadata(app: IdpApp): Promise<string> {
    return this.metadata(app, await this.keys.signingKeys(app.id));
  }

  /**
   * The application's IdP metadata document, listing the current signing certificate and the
   * next one (so an SP can trust it before the rotation). It is valid for a week and may be
   * cached for an hour (on the IdP clock); signed with the current key when the application
   * asks for it.
   */
  metadata(app: IdpApp, keys: AppSigningKeys = { current: this.key }): string {
    const { ssoUrl, sloUrl } = this.endpoints(app);
    const signingCertificates = [keys.current.certificateBase64, ...(keys.next ? [keys.next.certificateBase64] : [])];
    if (this.flavorOf(app) === 'entra') {
      // Entra's federation metadata: a `_` + GUID ID, signed when the application says so (Entra
      // always signs it), the certificate waiting to become active listed beside the active one.
      const id = newSamlIdIn('entra');
      const xml = buildFederationMetadata({
        entityId: app.idpEntityId,
        id,
        samlEndpoint: ssoUrl,
        sloEndpoint: sloUrl,
        wsfedEndpoint: entraWsfedUrl(this.baseUrl, this.vendor.entraTenantId),
        signingCertificates,
        claims: [...ENTRA_OFFERED_CLAIMS],
      });
      return app.signMetadata ? signMetadata(xml, { key: keys.current, algorithm: signatureAlgorithmFor(app.signing.algorithm), id }) : xml;
    }
    const id = app.signMetadata ? newSamlId() : undefined;
    const xml = buildIdpMetadata({
      entityId: app.idpEntityId,
      // JumpCloud lists only HTTP-POST unless "Declare Redirect Endpoint" is checked; the SSO URL
      // takes both bindings either way.
      ssoServices: [
        ...(app.declareRedirectEndpoint !== false ? [{ binding: BINDING.redirect, location: ssoUrl }] : []),
        { binding: BINDING.post, location: ssoUrl },
      ],
      sloServices: [
        { binding: BINDING.redirect, location: sloUrl },
        { binding: BINDING.post, location: sloUrl },
      ],
      signingCertificates,
      nameIdFormats: [NAMEID_FORMAT[app.nameId.format]],
      attributes: app.attributes.map((a) => ({ name: a.name })),
      validUntilMs: this.nowMs() + METADATA_VALID_MS,
      cacheDuration: METADATA_CACHE_DURATION,
      ...(id !== undefined && { id }),
    });
    return id === undefined ? xml : signMetadata(xml, { key: keys.current, algorithm: signatureAlgorithmFor(app.signing.algorithm), id });
  }
}
