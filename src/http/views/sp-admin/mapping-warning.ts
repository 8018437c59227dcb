// Under "Map Email Attribute to": a mapping the imported IdP metadata does not offer is kept (an
// IdP may send attributes its metadata does not list), but said out loud, since logins fail with
// SAML_ATTRIBUTE_EMAIL when the IdP does not send it.
import type { EmailMapping } from '../../../sp/model.js';
import { html, type SafeHtml } from '../html.js';

/** The attribute name the mapping reads that the metadata does not list, if any. */
export function unofferedAttribute(mapping: EmailMapping | undefined, offered: readonly string[] | undefined): string | undefined {
  if (!mapping || mapping.kind === 'nameid' || offered === undefined || offered.length === 0) return undefined;
  return offered.includes(mapping.name) ? undefined : mapping.name;
}

export function mappingWarning(mapping: EmailMapping | undefined, offered: readonly string[] | undefined): SafeHtml {
  if (!mapping) return html`<p class="error" role="status">The email is not mapped: Enable SSO is refused until it is.</p>`;
  const name = unofferedAttribute(mapping, offered);
  if (name === undefined) return html``;
  return html`<p class="error" role="status">Warning: the imported IdP metadata does not offer the attribute <code>${name}</code> (it offers ${(offered ?? []).join(', ')}). It is saved; logins fail unless the IdP sends it.</p>`;
}
