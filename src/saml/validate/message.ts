// The document is a SAML 2.0 samlp:Response with an ID: a different message (an
// AuthnRequest, a LogoutResponse, a SAML 1.1 response) never reaches the later checks.
import { HarnessError } from '../../errors.js';
import { documentElement } from '../parse.js';
import { attr } from '../dom.js';
import { NS } from '../urn.js';
import { parsedDocument } from './context.js';
import type { Check } from './types.js';

export const message: Check = {
  id: 'message',
  title: 'The document element is a SAML 2.0 samlp:Response with an ID',
  run(ctx) {
    const root = documentElement(parsedDocument(ctx));
    if (root.namespaceURI !== NS.protocol || root.localName !== 'Response') {
      throw new HarnessError('SAML_MESSAGE_UNEXPECTED', `the document element is ${root.localName}, not samlp:Response`, {
        expected: `Response in ${NS.protocol}`,
        received: `${root.localName} in ${root.namespaceURI ?? 'no namespace'}`,
      });
    }
    const version = attr(root, 'Version');
    if (version !== '2.0') {
      throw new HarnessError('SAML_VERSION', `the Response has Version ${version ?? '(none)'}`, {
        expected: 'Version="2.0"',
        received: version === undefined ? 'no Version attribute' : `Version="${version}"`,
      });
    }
    const id = attr(root, 'ID');
    if (!id) {
      throw new HarnessError('SAML_MESSAGE_UNEXPECTED', 'the Response has no ID', {
        expected: 'an ID attribute on samlp:Response',
        received: id === undefined ? 'no ID attribute' : 'an empty ID',
      });
    }
    ctx.response = root;
    ctx.result.responseId = id;
    return `samlp:Response ${id}, version 2.0`;
  },
};
