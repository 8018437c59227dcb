// `Response/Assertion/Subject/...`: where an element sits, for error messages and the
// explanation page.
export function pathOf(e: Element): string {
  const steps: string[] = [];
  for (let n: Node | null = e; n && n.nodeType === 1; n = n.parentNode) steps.unshift((n as Element).localName);
  return steps.join('/');
}
