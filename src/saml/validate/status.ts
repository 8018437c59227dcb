// The IdP said Success (catalogue row 37). A failure status is shown with its
// second-level code and message, which is what tells an administrator what went wrong at the IdP.
import { HarnessError } from '../../errors.js';
import { attr, firstChild, textOf } from '../dom.js';
import { NS, STATUS } from '../urn.js';
import { receivedResponse } from './context.js';
import type { Check } from './types.js';

function shortName(urn: string | undefined): string {
  return urn === undefined ? '(none)' : (urn.split(':').pop() ?? urn);
}

export const status: Check = {
  id: 'status',
  title: 'Top-level StatusCode is Success (row 37)',
  run(ctx) {
    const statusEl = firstChild(receivedResponse(ctx), NS.protocol, 'Status');
    const top = statusEl && firstChild(statusEl, NS.protocol, 'StatusCode');
    const code = attr(top, 'Value');
    if (code === STATUS.success) return 'Success';
    const sub = attr(top && firstChild(top, NS.protocol, 'StatusCode'), 'Value');
    const text = textOf(statusEl && firstChild(statusEl, NS.protocol, 'StatusMessage'));
    const received = [code ?? 'no StatusCode', sub, text ? `"${text}"` : undefined].filter((s) => s !== undefined).join(' / ');
    throw new HarnessError(
      'SAML_STATUS',
      `the IdP answered ${shortName(code)}${sub ? ` (${shortName(sub)})` : ''}${text ? `: ${text}` : ''}`,
      { expected: STATUS.success, received },
    );
  },
};
