// Traces of every SAML exchange, decoded, with each check's verdict (admin token required:
// they hold users' assertions).
import { Router } from 'express';
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import type { TraceLog } from '../trace/trace-log.js';
import { parseInput } from '../validation.js';

/** `GET /traces?flow=&side=`: an empty flow means every login. */
export const traceListQuery = z.object({
  flow: z.string().max(200).optional().describe('Only the exchanges of one login: its AuthnRequest ID.'),
  side: z.enum(['idp', 'sp']).optional().describe('Only what one side recorded.'),
});

export function debugApiRouter(trace: TraceLog): Router {
  const r = Router();
  r.get('/traces', (req, res) => {
    const { flow, side } = parseInput(traceListQuery, req.query, 'query');
    res.json(trace.list({ ...(flow && { flow }), ...(side && { side }) }));
  });
  r.get('/traces/:id', (req, res) => {
    const entry = trace.get(req.params.id);
    if (!entry) throw new HarnessError('NOT_FOUND', `no trace entry ${req.params.id}`);
    res.json(entry);
  });
  r.delete('/traces', (_req, res) => {
    trace.clear();
    res.status(204).end();
  });
  return r;
}
