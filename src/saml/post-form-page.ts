// The HTTP-POST binding's page as a browser reads it: the form that posts itself (SAMLRequest to an
// IdP, SAMLResponse to an ACS), its action and hidden fields, entities decoded. The headless browser
// follows it; the decoder reads a pasted page with it.

export interface AutoPostForm {
  action: string;
  fields: Record<string, string>;
}

export const decodeEntities = (s: string): string =>
  s.replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export function readAutoPostForm(htmlText: string, baseUrl: string): AutoPostForm | undefined {
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(htmlText);
  if (!form?.[1] || !form[2]) return undefined;
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"/gi)) {
    if (m[1] !== undefined && m[2] !== undefined) fields[decodeEntities(m[1])] = decodeEntities(m[2]);
  }
  if (!fields.SAMLResponse && !fields.SAMLRequest) return undefined;
  return { action: new URL(decodeEntities(form[1]), baseUrl).toString(), fields };
}
