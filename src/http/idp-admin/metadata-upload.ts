// An SP metadata file chosen in a console form (multipart, read and bounded before the route),
// uploaded to an application: the JumpCloud SSO tab's "Upload Metadata" and the Okta setup
// instructions' step that gives the IdP RingCentral's signing certificate.
import type { Request } from 'express';
import { HarnessError } from '../../errors.js';
import type { IdentityProvider } from '../../idp/identity-provider.js';
import type { MultipartBody } from '../multipart-form.js';

/** Uploads the form's `metadata` file to application `id`; answers the notice to show. */
export async function uploadSpMetadataFile(idp: IdentityProvider, id: string, req: Request): Promise<string> {
  const file = (req.body as MultipartBody | undefined)?.files?.metadata;
  const xml = file?.data.toString('utf8') ?? '';
  if (!file || xml.trim() === '') {
    throw new HarnessError('INPUT_INVALID', 'no SP metadata file was chosen: click Upload Metadata with the SP metadata XML file chosen', {
      fields: { metadata: 'a file' },
      expected: 'the SP metadata XML file (the SP\'s "Download" button)',
    });
  }
  if (file.truncated) throw new HarnessError('BODY_TOO_LARGE', `${file.filename} is larger than the largest metadata file accepted`);
  const app = await idp.apps.uploadSpMetadata(id, xml);
  return `Uploaded the SP metadata of ${app.sp.entityId} from ${file.filename || 'the file'}.`;
}
