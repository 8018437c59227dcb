// Reads a multipart/form-data admin form (a file chooser's upload) into req.body, bounded in
// parts, field sizes and file size, before the CSRF check reads its `_csrf` field. A file past
// the limit arrives marked `truncated`, so the route refuses it on the page it came from.
import busboy from 'busboy';
import type { RequestHandler } from 'express';
import { HarnessError } from '../errors.js';

export interface UploadedFile {
  filename: string;
  mimeType: string;
  data: Buffer;
  /** The file was longer than the limit: `data` holds only its beginning. */
  truncated: boolean;
}

/** `req.body` of a multipart form: its text fields, and its files under `files`. */
export interface MultipartBody {
  files?: Record<string, UploadedFile>;
}

const MAX_FIELDS = 30;
const MAX_FIELD_BYTES = 8 * 1024;

export function multipartForm(maxFileBytes: number): RequestHandler {
  return (req, _res, next) => {
    if (!req.is('multipart/form-data')) {
      next();
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: MAX_FIELDS, parts: MAX_FIELDS + 1, fieldSize: MAX_FIELD_BYTES, fileSize: maxFileBytes } });
    } catch {
      next(new HarnessError('INPUT_INVALID', 'the form is multipart/form-data without a boundary', { expected: 'a form sent by a browser (Content-Type with boundary=…)' }));
      return;
    }
    const fields: Record<string, string> = {};
    const files: Record<string, UploadedFile> = {};
    let refusal: HarnessError | undefined;
    let finished = false;
    const finish = (err?: HarnessError): void => {
      if (finished) return;
      finished = true;
      if (err) {
        // Nothing more of this body is wanted; drain it so the answer can still be sent.
        req.unpipe(parser);
        req.resume();
        next(err);
        return;
      }
      req.body = { ...fields, files };
      next();
    };
    const tooMany = (): void => {
      refusal ??= new HarnessError('INPUT_INVALID', `the form has more than ${MAX_FIELDS} fields or more than one file`, { expected: 'the console form as the page sent it' });
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) refusal ??= new HarnessError('BODY_TOO_LARGE', `the form field ${name} is longer than ${MAX_FIELD_BYTES} bytes`);
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('close', () => {
        files[name] = { filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks), truncated: (stream as { truncated?: boolean }).truncated === true };
      });
    });
    parser.on('fieldsLimit', tooMany);
    parser.on('filesLimit', tooMany);
    parser.on('partsLimit', tooMany);
    parser.on('error', () => finish(new HarnessError('INPUT_INVALID', 'the multipart form is malformed', { expected: 'a form sent by a browser' })));
    parser.on('close', () => finish(refusal));
    req.pipe(parser);
  };
}
