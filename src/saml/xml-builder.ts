// A tiny XML builder: every text and attribute value is escaped here, in one place, so an
// attribute value can never close its element (catalogue row 40, samlify GHSA-34r5-q4jw-r36m).

export type XmlChild = XmlNode | string | null | undefined | false;

export interface XmlNode {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string | number | boolean | null | undefined>>;
  readonly children: readonly XmlChild[];
}

export function el(
  name: string,
  attrs: XmlNode['attrs'] = {},
  ...children: (XmlChild | readonly XmlChild[])[]
): XmlNode {
  return { name, attrs, children: children.flat() as XmlChild[] };
}

/** Text content; CR as a character reference, so a parser keeps it (it would turn a raw CR into LF). */
export function escapeText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));
}

export function escapeAttr(value: string): string {
  return value.replace(/[&<>"\r\n\t]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case '\r':
        return '&#xD;';
      case '\n':
        return '&#xA;';
      default:
        return '&#x9;';
    }
  });
}

export function render(node: XmlChild): string {
  if (node === null || node === undefined || node === false) return '';
  if (typeof node === 'string') return escapeText(node);
  let out = `<${node.name}`;
  for (const [key, value] of Object.entries(node.attrs)) {
    if (value === undefined || value === null) continue;
    out += ` ${key}="${escapeAttr(String(value))}"`;
  }
  const inner = node.children.map(render).join('');
  return inner === '' ? `${out}/>` : `${out}>${inner}</${node.name}>`;
}

export function renderDocument(node: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${render(node)}`;
}
