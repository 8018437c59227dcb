// Escaping HTML templates: every interpolated value is escaped unless it is already SafeHtml.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function renderValue(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += renderValue(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

export const STYLESHEET = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:.6rem 1.2rem}header a{color:#fff;text-decoration:none;margin-right:1rem}
main{max-width:52rem;margin:1.5rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
label{display:block;margin:.6rem 0 .2rem}input,select,textarea{font:inherit;padding:.35rem .5rem;width:100%;box-sizing:border-box}
input[type=checkbox],input[type=radio]{width:auto;margin:0 .4rem 0 0}input[type=checkbox]+label,input[type=radio]+label{display:inline}fieldset{border:1px solid #d0d5dc;border-radius:4px}
button{font:inherit;padding:.45rem 1rem;margin-top:1rem;background:#0666d6;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fdecea;border-left:4px solid #d93025;padding:.6rem 1rem}.ok{color:#137333}.fail{color:#d93025}.skip{color:#888}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e6ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
code,pre{font:13px ui-monospace,monospace}pre{white-space:pre-wrap;word-break:break-all;background:#f3f4f6;padding:.6rem}
textarea{font:13px ui-monospace,monospace;width:100%;box-sizing:border-box}
form.inline{display:flex;gap:.5rem;align-items:flex-end}form.inline label{margin:0 .3rem 0 0}form.inline select{width:auto}form.inline button{margin-top:0}
figure.sequence{margin:1rem 0;overflow-x:auto}figure.sequence figcaption{font-size:13px;color:#555}
/* Long values without spaces (fingerprints, certificate subjects, URLs) break rather than leave the card; headings keep their words */
main{overflow-wrap:break-word}td,code{overflow-wrap:anywhere}
table.kv th{width:11rem;font-weight:600}.trace-entry{border-top:2px solid #e3e6ea;margin-top:1.5rem}.explanation .setting{font-weight:600}
`;

export function page(title: string, body: SafeHtml, opts: { side?: 'idp' | 'sp' | 'debug' } = {}): string {
  const brand = opts.side === 'idp' ? 'IdP (JumpCloud-like)' : opts.side === 'sp' ? 'SP (RingCentral-like)' : 'sso-harness';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · sso-harness</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><header><strong>${brand}</strong> &nbsp; <a href="/sp/login">SP login</a><a href="/idp/portal">IdP portal</a><a href="/idp/admin">IdP console</a><a href="/sp/admin">SP admin</a><a href="/debug">Trace viewer</a></header>
<main>${body}</main></body></html>`.value;
}
