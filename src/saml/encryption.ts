// Assertion encryption (XML Encryption) through the xml-encryption library, for both sides: the
// IdP encrypts a signed assertion to the SP's encryption certificate; the SP decrypts an
// EncryptedAssertion with its private key. No cipher is written here: this module chooses
// algorithms, checks the EncryptedAssertion's shape and hands the work to the library.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { firstChild } from './dom.js';
import { encryptedAssertionParts, EncryptionShapeRefused } from './encryption-shape.js';
import { signElement } from './signature.js';
import {
  DATA_ENCRYPTION_ALGORITHMS,
  KEY_TRANSPORT_ALGORITHMS,
  NS,
  SIGNATURE_ALGORITHMS,
  XMLENC,
  type DataEncryptionName,
  type KeyTransportName,
  type SignatureAlgorithmUrn,
} from './urn.js';
import type { SigningKey } from '../crypto/keys.js';

type Callback = (err: Error | null, result?: string) => void;

/** The part of xml-encryption 6 this module uses (the package ships no types). */
interface XmlEncryption {
  encrypt(
    content: string,
    options: {
      rsa_pub: string;
      pem: string;
      encryptionAlgorithm: string;
      keyEncryptionAlgorithm: string;
      keyEncryptionDigest?: 'sha1' | 'sha256' | 'sha512';
      disallowEncryptionWithInsecureAlgorithm: boolean;
      warnInsecureAlgorithm: boolean;
    },
    callback: Callback,
  ): void;
  decrypt(
    xml: Node,
    options: { key: KeyObject; disallowDecryptionWithInsecureAlgorithm: boolean; warnInsecureAlgorithm: boolean },
    callback: Callback,
  ): void;
}

const xmlenc = createRequire(import.meta.url)('xml-encryption') as XmlEncryption;

export { EncryptionShapeRefused };

/** How the IdP encrypts an assertion for one SP. */
export interface AssertionEncryption {
  /** The SP's encryption certificate (from its metadata). */
  certificate: X509Certificate;
  dataAlgorithm: DataEncryptionName;
  keyTransport: KeyTransportName;
}

/** What the SP accepts when it decrypts. */
export interface AssertionDecryption {
  /** The SP's encryption private key. */
  key: KeyObject;
  /** RSA PKCS#1 v1.5 key transport (Bleichenbacher); off unless the account allows it. */
  allowRsa15: boolean;
  /** AES-CBC content encryption (padding oracle); off unless the account allows it. */
  allowCbc: boolean;
}

/** Why an EncryptedAssertion was not decrypted; `detail` is for the trace only, never the client. */
export class DecryptionFailure extends Error {
  constructor(readonly detail: string) {
    super('the EncryptedAssertion cannot be decrypted');
    this.name = 'DecryptionFailure';
  }
}

/** An algorithm the account does not accept; the URIs are public, so naming them leaks nothing. */
export class EncryptionAlgorithmRefused extends Error {
  constructor(
    message: string,
    readonly accepted: string,
    readonly received: string,
  ) {
    super(message);
    this.name = 'EncryptionAlgorithmRefused';
  }
}

function pem(cert: X509Certificate): string {
  return cert.toString();
}

/** A saml:EncryptedAssertion (XML) holding `assertionXml`, a standalone saml:Assertion. */
export function encryptAssertionXml(assertionXml: string, enc: AssertionEncryption): Promise<string> {
  const data = DATA_ENCRYPTION_ALGORITHMS[enc.dataAlgorithm];
  const transport = KEY_TRANSPORT_ALGORITHMS[enc.keyTransport];
  return new Promise((resolve, reject) => {
    xmlenc.encrypt(
      assertionXml,
      {
        rsa_pub: enc.certificate.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        pem: pem(enc.certificate),
        encryptionAlgorithm: data.urn,
        keyEncryptionAlgorithm: transport.urn,
        // SHA-1 inside OAEP is not a weakness, and it is the digest every peer decrypts
        // (node-saml's xml-encryption 3 reads no other DigestMethod URI).
        keyEncryptionDigest: 'sha1',
        // The insecure choices were made on purpose by an administrator (and are flagged as such).
        disallowEncryptionWithInsecureAlgorithm: !(data.cbc || transport.pkcs1v15),
        warnInsecureAlgorithm: false,
      },
      (err, encryptedData) => {
        if (err || encryptedData === undefined) {
          reject(err ?? new Error('xml-encryption returned nothing'));
          return;
        }
        resolve(`<saml:EncryptedAssertion xmlns:saml="${NS.assertion}">${encryptedData.trim()}</saml:EncryptedAssertion>`);
      },
    );
  });
}

export interface ResponseSigning {
  key: SigningKey;
  algorithm: SignatureAlgorithmUrn;
}

/**
 * Replaces the Response's (signed) Assertion with its EncryptedAssertion. A Response signature
 * would no longer match, so the Response is signed again, over the encrypted assertion, with the
 * algorithm it was signed with. A response without an assertion (an error status) is returned as is.
 */
export async function encryptResponseAssertion(xml: string, enc: AssertionEncryption, signing: ResponseSigning): Promise<string> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const response = doc.documentElement;
  if (!response) return xml;
  const assertion = firstChild(response, NS.assertion, 'Assertion');
  if (!assertion) return xml;
  const encrypted = await encryptAssertionXml(new XMLSerializer().serializeToString(assertion), enc);
  const encryptedElement = new DOMParser().parseFromString(encrypted, 'text/xml').documentElement;
  if (!encryptedElement) throw new Error('encryptResponseAssertion: the EncryptedAssertion did not parse');
  response.replaceChild(doc.importNode(encryptedElement, true), assertion);
  const responseSignature = firstChild(response, NS.dsig, 'Signature');
  if (!responseSignature) return new XMLSerializer().serializeToString(doc);
  const method = firstChild(firstChild(responseSignature, NS.dsig, 'SignedInfo') ?? responseSignature, NS.dsig, 'SignatureMethod');
  const used = method?.getAttribute('Algorithm') ?? '';
  const algorithm = used in SIGNATURE_ALGORITHMS ? (used as SignatureAlgorithmUrn) : signing.algorithm;
  response.removeChild(responseSignature);
  const id = response.getAttribute('ID') ?? '';
  return signElement(new XMLSerializer().serializeToString(doc), { key: signing.key, algorithm, id, after: 'Issuer' });
}

/** The algorithms an EncryptedAssertion names, read before anything is decrypted. */
export interface NamedAlgorithms {
  data: string;
  keyTransport: string;
}

function algorithmOf(method: Element, what: string): string {
  const algorithm = method.getAttribute('Algorithm');
  if (!algorithm) throw new EncryptionShapeRefused(`the ${what}'s EncryptionMethod has no Algorithm`, 'an EncryptionMethod without Algorithm');
  return algorithm;
}

/** The algorithms of the very EncryptionMethod elements the decryption will use. */
export function namedAlgorithms(encrypted: Element): NamedAlgorithms {
  const { data, dataMethod, keyMethod } = encryptedAssertionParts(encrypted);
  const type = data.getAttribute('Type');
  if (type && type !== XMLENC.typeElement) throw new EncryptionShapeRefused(`the EncryptedData Type is not ${XMLENC.typeElement}`, `Type="${type}"`);
  return { data: algorithmOf(dataMethod, 'EncryptedData'), keyTransport: algorithmOf(keyMethod, 'EncryptedKey') };
}

/** The URIs this account accepts, for messages. */
export function acceptedAlgorithms(d: Pick<AssertionDecryption, 'allowRsa15' | 'allowCbc'>): { data: string[]; keyTransport: string[] } {
  return {
    data: Object.values(DATA_ENCRYPTION_ALGORITHMS)
      .filter((a) => d.allowCbc || !a.cbc)
      .map((a) => a.urn),
    keyTransport: Object.values(KEY_TRANSPORT_ALGORITHMS)
      .filter((a) => d.allowRsa15 || !a.pkcs1v15)
      .map((a) => a.urn),
  };
}

/** Refuses algorithms the account does not accept, before any decryption (catalogue row 38). */
export function checkAlgorithms(named: NamedAlgorithms, d: Pick<AssertionDecryption, 'allowRsa15' | 'allowCbc'>): void {
  const accepted = acceptedAlgorithms(d);
  const transport = Object.values(KEY_TRANSPORT_ALGORITHMS).find((a) => a.urn === named.keyTransport);
  if (!accepted.keyTransport.includes(named.keyTransport)) {
    throw new EncryptionAlgorithmRefused(
      transport?.pkcs1v15
        ? 'the assertion key is wrapped with RSA PKCS#1 v1.5, which this account refuses (Bleichenbacher oracle)'
        : 'the assertion key is wrapped with a key transport algorithm this SP does not accept',
      accepted.keyTransport.join(', '),
      named.keyTransport,
    );
  }
  const data = Object.values(DATA_ENCRYPTION_ALGORITHMS).find((a) => a.urn === named.data);
  if (!accepted.data.includes(named.data)) {
    throw new EncryptionAlgorithmRefused(
      data?.cbc
        ? 'the assertion is encrypted with AES-CBC, which this account refuses (padding oracle)'
        : 'the assertion is encrypted with an algorithm this SP does not accept',
      accepted.data.join(', '),
      named.data,
    );
  }
}

/**
 * Decrypts the EncryptedAssertion with the SP's key and returns the plaintext. Every failure is
 * a DecryptionFailure whose message is the same whatever went wrong (no oracle); the reason is
 * in `detail`. Call namedAlgorithms and checkAlgorithms first; an EncryptedAssertion of another
 * shape throws EncryptionShapeRefused before anything is decrypted.
 */
export function decryptAssertionXml(encrypted: Element, d: AssertionDecryption): Promise<string> {
  encryptedAssertionParts(encrypted);
  return new Promise((resolve, reject) => {
    try {
      xmlenc.decrypt(
        encrypted,
        // The library's own switch is all-or-nothing; checkAlgorithms applied the account's choice.
        { key: d.key, disallowDecryptionWithInsecureAlgorithm: !(d.allowRsa15 || d.allowCbc), warnInsecureAlgorithm: false },
        (err, plaintext) => {
          if (err || plaintext === undefined) reject(new DecryptionFailure(err?.message ?? 'xml-encryption returned nothing'));
          else resolve(plaintext);
        },
      );
    } catch (err) {
      reject(new DecryptionFailure(err instanceof Error ? err.message : String(err)));
    }
  });
}
