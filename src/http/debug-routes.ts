// Traces of every SAML exchange, decoded, with each check's verdict (admin token required:
// they hold users' assertions).
import { Router } from 'express';
import { HarnessError } from '../errors.js';
import type { TraceLog } from '../trace/trace-log.js';

export function debugApiRouter(trace: TraceLog): Router {
  const r = Router();
  r.get('/traces', (req, res) => {
    const flow = typeof req.query.flow === 'string' ? req.query.flow : undefined;
    const side = req.query.side === 'idp' || req.query.side === 'sp' ? req.query.side : undefined;
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
