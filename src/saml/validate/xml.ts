// XML hygiene before the DOM is trusted at all: no DOCTYPE or ENTITY (XXE, billion
// laughs, parser differentials: rows 20, 23, 24), no processing instructions, comments or CDATA
// (truncation: rows 12-14), fatal parse errors, one document element (row 11).
import { HarnessError, isHarnessError } from '../../errors.js';
import { parseXml } from '../parse.js';
import type { ReadCheck } from './types.js';

export const xml: ReadCheck = {
  id: 'xml',
  title: 'Well-formed XML without DOCTYPE, entities, PIs, comments or CDATA (rows 11-14, 20, 23, 24)',
  run(ctx) {
    if (ctx.xml === undefined) throw new HarnessError('INTERNAL', 'validation pipeline order: nothing decoded');
    try {
      ctx.doc = parseXml(ctx.xml);
    } catch (err) {
      if (isHarnessError(err) && err.details.expected === undefined) {
        throw new HarnessError(err.code, err.message, {
          ...err.details,
          expected: 'one well-formed XML document',
          received: err.message,
        });
      }
      throw err;
    }
    return 'well-formed, one document element, no DOCTYPE, PI, comment or CDATA';
  },
};
