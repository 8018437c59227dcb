// The application's Attributes section, editable as JumpCloud's "Add any other attributes": each
// attribute statement's name and source (a user property, a custom attribute, or a constant),
// a Remove button per row, one blank row to add an attribute, and Save.
import { USER_PROPERTIES, type AttributeStatement, type IdpApp } from '../../../idp/model.js';
import { html, type SafeHtml } from '../html.js';

/** The source select's value for a statement: `property:<name>`, `custom` or `constant`. */
export function sourceOf(a: AttributeStatement): string {
  return 'property' in a ? `property:${a.property}` : 'customAttribute' in a ? 'custom' : 'constant';
}

const valueOf = (a: AttributeStatement): string => ('customAttribute' in a ? a.customAttribute : 'constant' in a ? a.constant : '');

function sourceOptions(selected: string): SafeHtml {
  const option = (value: string, label: string) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
  return html`${USER_PROPERTIES.map((p) => option(`property:${p}`, `user property: ${p}`))}${option('custom', 'custom attribute (name in the next field)')}${option('constant', 'constant (value in the next field)')}`;
}

export function attributesSection(app: IdpApp, customNames: readonly string[], v: { csrf: SafeHtml }): SafeHtml {
  const base = `/idp/admin/apps/${encodeURIComponent(app.id)}`;
  const row = (i: number, a: AttributeStatement | undefined) => {
    const who = a ? a.name : 'New attribute';
    return html`<tr><td><label for="attr-name-${i}">${who}: attribute name</label><input id="attr-name-${i}" name="attrName${i}" value="${a?.name ?? ''}"></td>
<td><label for="attr-source-${i}">${who}: source</label><select id="attr-source-${i}" name="attrSource${i}">${sourceOptions(a ? sourceOf(a) : 'property:email')}</select></td>
<td><label for="attr-value-${i}">${who}: custom attribute or constant</label><input id="attr-value-${i}" name="attrValue${i}" list="custom-attribute-names" value="${a ? valueOf(a) : ''}"></td>
<td>${a ? html`<button type="submit" name="remove" value="${i}">Remove ${a.name}</button>` : ''}</td></tr>`;
  };
  return html`<section><h2>Attributes</h2>
<p>The attributes the assertion carries. RingCentral needs <code>email</code> and <code>number</code>; the source of <code>number</code> can be any user property or a custom attribute.</p>
<form method="post" action="${base}/attributes" aria-label="Attributes">${v.csrf}<input type="hidden" name="rows" value="${app.attributes.length}">
<datalist id="custom-attribute-names">${customNames.map((n) => html`<option value="${n}"></option>`)}</datalist>
<table><tr><th>attribute</th><th>source</th><th>custom attribute or constant</th><th></th></tr>
${app.attributes.map((a, i) => row(i, a))}
${row(app.attributes.length, undefined)}</table>
<button type="submit">Save</button></form>
<p>NameID: ${app.nameId.property} (${app.nameId.format}).</p></section>`;
}
