// Each IdP application's own signing keys, for certificate rollover: the `current` key signs
// responses, a `next` key is published in the metadata beside it so SPs can trust it ahead of
// time, and "rotate" makes the next key current (the old one is dropped: an SP that still pins
// it stops accepting the application's responses, which is the point of a rollover). Until an
// application has its own key it signs with the harness-wide IdP key, and has no next key.
// Keys are stored as PEM in their own table (never in the application record, which the admin
// API shows) and parsed once per distinct key.
import { z } from 'zod';
import type { X509Certificate } from 'node:crypto';
import { generateKeyPair, loadSigningKey, summarizeCertificate, type CertificateSummary, type KeyPairPem, type SigningKey } from '../crypto/keys.js';
import { HarnessError, isHarnessError } from '../errors.js';
import { TABLE, table } from '../store/tables.js';
import type { Store, Table } from '../store/types.js';
import { parseInput } from '../validation.js';
import { IDP_APPS } from './model.js';

export interface StoredKeyPair extends KeyPairPem {
  createdAt: string;
  /** `generated` by the harness, or `uploaded` by an administrator (JumpCloud's "IdP Private Key / Certificate"). */
  origin: 'generated' | 'uploaded';
}

export interface AppKeysRecord {
  /** The application id. */
  id: string;
  /** Absent until the first rotation: the harness IdP key is current. */
  current?: StoredKeyPair;
  next?: StoredKeyPair;
}

export const IDP_APP_KEYS = table<AppKeysRecord>(TABLE.idpAppKeys);

export interface AppSigningKeys {
  current: SigningKey;
  next?: SigningKey;
}

/** One key as the admin API shows it: the certificate, never the private key. */
export interface AppKeyView {
  role: 'current' | 'next';
  /** `harness`: the harness-wide IdP key, used until the application has its own. */
  origin: 'harness' | StoredKeyPair['origin'];
  createdAt?: string;
  certificate: CertificateSummary;
  certificatePem: string;
}

/** `POST /idp/api/apps/:app/keys/next`: generate (optionally `bits`, `days`) or upload a key pair. */
export const nextKeyInput = z
  .object({
    bits: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]),
    days: z.number().int().min(1).max(36_500),
    /** PEM private key and certificate, both or neither. */
    privateKey: z.string().min(1).max(20_000),
    certificate: z.string().min(1).max(20_000),
  })
  .partial()
  .strict()
  .refine((k) => (k.privateKey === undefined) === (k.certificate === undefined), {
    message: 'give both privateKey and certificate (PEM), or neither to generate a key',
    path: ['privateKey'],
  })
  .refine((k) => k.privateKey === undefined || (k.bits === undefined && k.days === undefined), {
    message: 'bits and days apply to a generated key only',
    path: ['bits'],
  });
export type NextKeyInput = z.input<typeof nextKeyInput>;

const PARSED_LIMIT = 256;

export class IdpAppKeys {
  private readonly parsed = new Map<string, SigningKey>();

  constructor(
    private readonly store: Store,
    private readonly harnessKey: SigningKey,
    private readonly nowMs: () => number,
  ) {}

  private table(s: Store = this.store): Table<AppKeysRecord> {
    return s.table(IDP_APP_KEYS);
  }

  private load(pair: KeyPairPem): SigningKey {
    const cacheKey = pair.certificatePem;
    let key = this.parsed.get(cacheKey);
    if (!key) {
      key = loadSigningKey(pair);
      if (this.parsed.size >= PARSED_LIMIT) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(cacheKey, key);
    }
    return key;
  }

  /** The keys an application signs with (current) and announces (next). */
  async signingKeys(appId: string): Promise<AppSigningKeys> {
    const record = await this.table().get(appId);
    return {
      current: record?.current ? this.load(record.current) : this.harnessKey,
      ...(record?.next && { next: this.load(record.next) }),
    };
  }

  /** The key that signs the application's responses now. */
  async currentKey(appId: string): Promise<SigningKey> {
    return (await this.signingKeys(appId)).current;
  }

  async view(appId: string): Promise<AppKeyView[]> {
    await this.requireApp(this.store, appId);
    const record = await this.table().get(appId);
    const now = this.nowMs();
    const show = (role: AppKeyView['role'], key: SigningKey, stored?: StoredKeyPair): AppKeyView => ({
      role,
      origin: stored?.origin ?? 'harness',
      ...(stored && { createdAt: stored.createdAt }),
      certificate: summarizeCertificate(key.certificate, now),
      certificatePem: key.certificatePem,
    });
    const out = [record?.current ? show('current', this.load(record.current), record.current) : show('current', this.harnessKey)];
    if (record?.next) out.push(show('next', this.load(record.next), record.next));
    return out;
  }

  /** Makes (or replaces) the application's next key: generated, or the uploaded PEM pair. */
  async makeNext(appId: string, input: NextKeyInput = {}): Promise<AppKeyView[]> {
    const k = parseInput(nextKeyInput, input, 'next signing key');
    await this.requireApp(this.store, appId);
    let pair: KeyPairPem;
    let origin: StoredKeyPair['origin'];
    if (k.privateKey !== undefined && k.certificate !== undefined) {
      pair = { privateKeyPem: k.privateKey, certificatePem: k.certificate };
      origin = 'uploaded';
      this.checkUploaded(pair);
    } else {
      pair = await generateKeyPair({
        commonName: `sso-harness IdP ${appId} ${new Date(this.nowMs()).toISOString().slice(0, 10)}`,
        nowMs: this.nowMs(),
        ...(k.bits !== undefined && { bits: k.bits }),
        ...(k.days !== undefined && { days: k.days }),
      });
      origin = 'generated';
    }
    const next: StoredKeyPair = { ...pair, createdAt: new Date(this.nowMs()).toISOString(), origin };
    await this.store.transaction(async (tx) => {
      await this.requireApp(tx, appId);
      const record = await this.table(tx).get(appId);
      if (record) await this.table(tx).update({ ...record, next });
      else await this.table(tx).insert({ id: appId, next });
    });
    return this.view(appId);
  }

  /** Makes the next key current; the previous current key is dropped. */
  async rotate(appId: string): Promise<AppKeyView[]> {
    await this.store.transaction(async (tx) => {
      await this.requireApp(tx, appId);
      const record = await this.table(tx).get(appId);
      if (!record?.next) {
        throw new HarnessError('IDP_KEY_NO_NEXT', `${appId} has no next signing key to make current`, {
          expected: 'a next key (POST /idp/api/apps/:app/keys/next, or sso-harness keys next --app ID), published in the metadata and trusted by the SP',
          received: 'no next key',
        });
      }
      const { next: _next, ...rest } = record;
      await this.table(tx).update({ ...rest, current: record.next });
    });
    return this.view(appId);
  }

  /** Withdraws the next key (before rotation). */
  async dropNext(appId: string): Promise<AppKeyView[]> {
    await this.store.transaction(async (tx) => {
      await this.requireApp(tx, appId);
      const record = await this.table(tx).get(appId);
      if (record?.next) {
        const { next: _next, ...rest } = record;
        await this.table(tx).update(rest);
      }
    });
    return this.view(appId);
  }

  /** Forgets the keys of a deleted application (a new one with the same id starts afresh). */
  async forget(tx: Store, appId: string): Promise<void> {
    await this.table(tx).delete(appId);
  }

  private checkUploaded(pair: KeyPairPem): void {
    let cert: X509Certificate;
    try {
      cert = loadSigningKey(pair).certificate;
    } catch (err) {
      throw new HarnessError('INPUT_INVALID', `the uploaded key pair is unusable: ${isHarnessError(err) ? err.message : String(err)}`, {
        expected: 'a PEM private key and the PEM certificate that belongs to it',
        fields: { privateKey: 'PEM private key', certificate: 'PEM certificate of that key' },
      });
    }
    if (cert.publicKey.asymmetricKeyType !== 'rsa') {
      throw new HarnessError('INPUT_INVALID', 'the uploaded key is not an RSA key', {
        expected: 'an RSA key (the IdP signs with RSA-SHA256)',
        received: cert.publicKey.asymmetricKeyType ?? 'unknown',
        fields: { privateKey: 'an RSA key' },
      });
    }
  }

  private async requireApp(tx: Store, appId: string): Promise<void> {
    if (!(await tx.table(IDP_APPS).get(appId))) {
      throw new HarnessError('IDP_APP_NOT_FOUND', `no IdP application ${appId}`, { received: appId });
    }
  }
}
