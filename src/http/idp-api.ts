// The IdP admin JSON API: everything the admin console does, for test suites and scripts.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { CATALOGUE } from '../idp/catalogue.js';
import { missingSettings } from '../idp/catalogue.js';
import { encryptionView } from '../idp/assertion-encryption.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import { clockOffsetInput, groupAppsInput, nextResponseInput, spMetadataUpload } from '../idp/inputs.js';
import { publicUser, type IdpApp } from '../idp/model.js';
import { parseInput } from '../validation.js';

/** `DELETE /next-response?app=`: clears one application's queued scenario, else every one. */
export const clearNextResponseQuery = z.object({ app: z.string().min(1).max(100).optional().describe('Only this application\'s queued scenario.') });

/** `GET /apps/:app/idm/jobs?user=`: one user's jobs. */
export const idmJobsQuery = z.object({
  user: z.string().max(320).optional().describe('Only the jobs of this IdP user (id or email); all users when absent or empty.'),
});

function appView(idp: IdentityProvider, app: IdpApp) {
  return { ...app, ...idp.apps.endpoints(app), missing: missingSettings(app), encryption: encryptionView(app) };
}

/** SP metadata arrives as raw XML (file upload) or as JSON `{ "xml": "..." }`. */
function xmlBody(req: Request): string {
  const body: unknown = typeof req.body === 'string' ? { xml: req.body } : (req.body ?? {});
  return parseInput(spMetadataUpload, body, 'SP metadata upload (send an XML body with Content-Type: application/xml, or JSON {"xml": "..."})').xml;
}

export function idpApiRouter(idp: IdentityProvider): Router {
  const r = Router();

  r.get('/catalogue', (_req, res) => {
    res.json(CATALOGUE.map(({ id, name, description, defaults }) => ({ id, name, description, defaults })));
  });

  r.get('/scenarios', (_req, res) => {
    res.json(idp.scenarios.list().map(({ id, title, row, kind, spProfile, expect }) => ({ id, title, row, kind, spProfile, expect })));
  });
  /** Queues a scenario for the next response only: `{ "scenario": "xsw3", "app": "ringcentral" }`. */
  r.put('/next-response', async (req, res) => {
    const body = parseInput(nextResponseInput, req.body ?? {}, 'next response');
    if (body.app !== undefined) await idp.apps.get(body.app);
    await idp.nextResponse(body.scenario, body.app);
    res.json({ scenario: body.scenario, app: body.app ?? null });
  });
  r.delete('/next-response', async (req, res) => {
    await idp.scenarios.clearNext(parseInput(clearNextResponseQuery, req.query, 'query').app);
    res.status(204).end();
  });

  r.get('/apps', async (_req, res) => {
    res.json((await idp.apps.list()).map((a) => appView(idp, a)));
  });
  r.post('/apps', async (req, res) => {
    const app = await idp.apps.create(req.body ?? {});
    res.status(201).location(`/idp/api/apps/${app.id}`).json(appView(idp, app));
  });
  r.get('/apps/:app', async (req, res) => {
    res.json(appView(idp, await idp.apps.get(req.params.app)));
  });
  r.patch('/apps/:app', async (req, res) => {
    res.json(appView(idp, await idp.apps.update(req.params.app, req.body ?? {})));
  });
  r.delete('/apps/:app', async (req, res) => {
    await idp.apps.delete(req.params.app);
    res.status(204).end();
  });
  r.put('/apps/:app/sp-metadata', async (req, res) => {
    res.json(appView(idp, await idp.apps.uploadSpMetadata(req.params.app, xmlBody(req))));
  });
  /** Signing keys: the current one and the next one (certificates only), and their rollover. */
  r.get('/apps/:app/keys', async (req, res) => {
    res.json(await idp.keys.view(req.params.app));
  });
  /** Makes the next key: generated (`{ bits?, days? }`) or uploaded (`{ privateKey, certificate }` as PEM). */
  r.post('/apps/:app/keys/next', async (req, res) => {
    res.status(201).json(await idp.keys.makeNext(req.params.app, req.body ?? {}));
  });
  r.delete('/apps/:app/keys/next', async (req, res) => {
    res.json(await idp.keys.dropNext(req.params.app));
  });
  /** The next key becomes current; the old current key is dropped. */
  r.post('/apps/:app/keys/rotate', async (req, res) => {
    res.json(await idp.keys.rotate(req.params.app));
  });
  r.put('/apps/:app/groups/:group', async (req, res) => {
    res.json(appView(idp, await idp.apps.bindGroup(req.params.app, req.params.group, true)));
  });
  r.delete('/apps/:app/groups/:group', async (req, res) => {
    res.json(appView(idp, await idp.apps.bindGroup(req.params.app, req.params.group, false)));
  });
  r.put('/apps/:app/users/:user', async (req, res) => {
    res.json(appView(idp, await idp.apps.assignUser(req.params.app, req.params.user, true)));
  });
  r.delete('/apps/:app/users/:user', async (req, res) => {
    res.json(appView(idp, await idp.apps.assignUser(req.params.app, req.params.user, false)));
  });

  r.get('/users', async (_req, res) => {
    res.json((await idp.directory.listUsers()).map(publicUser));
  });
  r.post('/users', async (req, res) => {
    const user = await idp.directory.createUser(req.body ?? {});
    res.status(201).location(`/idp/api/users/${user.id}`).json(publicUser(user));
  });
  r.get('/users/:id', async (req, res) => {
    res.json(publicUser(await idp.directory.getUser(req.params.id)));
  });
  r.patch('/users/:id', async (req, res) => {
    res.json(publicUser(await idp.directory.updateUser(req.params.id, req.body ?? {})));
  });
  r.delete('/users/:id', async (req, res) => {
    await idp.directory.deleteUser(req.params.id);
    res.status(204).end();
  });

  r.get('/groups', async (_req, res) => {
    res.json(await idp.directory.listGroups());
  });
  r.post('/groups', async (req, res) => {
    const group = await idp.directory.createGroup(req.body ?? {});
    res.status(201).location(`/idp/api/groups/${group.id}`).json(group);
  });
  r.get('/groups/:id', async (req, res) => {
    res.json(await idp.directory.getGroup(req.params.id));
  });
  r.delete('/groups/:id', async (req, res) => {
    await idp.directory.deleteGroup(req.params.id);
    res.status(204).end();
  });
  /** The Groups panel's Applications tab: the applications the group may use. */
  const groupApps = (apps: IdpApp[]) => ({ apps: apps.map((a) => ({ id: a.id, displayLabel: a.displayLabel })) });
  r.get('/groups/:id/apps', async (req, res) => {
    res.json(groupApps(await idp.apps.appsOfGroup(req.params.id)));
  });
  r.put('/groups/:id/apps', async (req, res) => {
    const body = parseInput(groupAppsInput, req.body ?? {}, 'group applications');
    res.json(groupApps(await idp.apps.setAppsOfGroup(req.params.id, body.apps)));
  });
  r.put('/groups/:id/members/:user', async (req, res) => {
    res.json(await idp.directory.setMembership(req.params.id, req.params.user, true));
  });
  r.delete('/groups/:id/members/:user', async (req, res) => {
    res.json(await idp.directory.setMembership(req.params.id, req.params.user, false));
  });

  // Identity Management tab (the engine behind idp.provisioning; see src/provisioning/).
  r.get('/apps/:app/idm', async (req, res) => {
    res.json(await idp.provisioning.view(req.params.app));
  });
  /** "configure": `{ flavor?, apiBaseUrl? }` → `{ authorizeUrl }`; open it in the browser to sign in to the SP. */
  r.post('/apps/:app/idm/configure', async (req, res) => {
    res.json(await idp.provisioning.configure(req.params.app, req.body ?? {}));
  });
  /** "Deactivate IdM connection": no further updates; SP users stay as they are. */
  r.post('/apps/:app/idm/deactivate', async (req, res) => {
    res.json(await idp.provisioning.deactivate(req.params.app));
  });
  r.get('/apps/:app/idm/jobs', async (req, res) => {
    const user = parseInput(idmJobsQuery, req.query, 'query').user || undefined;
    res.json(await idp.provisioning.jobs(req.params.app, user ? { userId: user } : {}));
  });
  /** "manual import": the SP's users, New or Imported. */
  r.get('/apps/:app/idm/import', async (req, res) => {
    res.json(await idp.provisioning.importCandidates(req.params.app));
  });
  /** `{ userIds: [scim ids] }` or `{ all: true }`; over 100 users → 202, background, an email when done. */
  r.post('/apps/:app/idm/import', async (req, res) => {
    const outcome = await idp.provisioning.importUsers(req.params.app, req.body ?? {});
    res.status(outcome.background ? 202 : 200).json(outcome);
  });
  /** The Provisioning tab's settings: API integration, To App, To Okta. */
  r.get('/apps/:app/idm/settings', async (req, res) => {
    res.json(await idp.provisioning.settings(req.params.app));
  });
  r.put('/apps/:app/idm/settings', async (req, res) => {
    res.json(await idp.provisioning.updateSettings(req.params.app, req.body ?? {}));
  });
  /** Re-pushes every user of the bound groups. */
  r.post('/apps/:app/idm/sync', async (req, res) => {
    res.status(202).json(await idp.provisioning.sync(req.params.app));
  });

  /** Notification emails the IdP sent its administrators (e.g. "import complete"). */
  r.get('/outbox', async (_req, res) => {
    res.json(await idp.outbox.list());
  });
  /** Suspends users whose password expired by now (harness clock); the server also runs it every minute. */
  r.post('/maintenance/sweep', async (_req, res) => {
    const expired = await idp.directory.sweepExpiredPasswords();
    res.json({ expired: expired.map((u) => ({ id: u.id, email: u.email })) });
  });
  /** Runs the scheduled imports (To Okta) due by the harness clock now; the server also checks every minute. */
  r.post('/maintenance/imports', async (_req, res) => {
    res.json({ ran: await idp.provisioning.runDueImports() });
  });
  /** Answers once no provisioning event, job or background import is left (for scripts and tests). */
  r.post('/maintenance/idle', async (_req, res) => {
    await idp.provisioning.idle();
    res.json({ idle: true });
  });

  // `skewMs` repeats `offsetMs` under its older name, for clients written before the rename.
  const clock = (): { now: string; offsetMs: number; skewMs: number } => ({ now: new Date(idp.clock.now()).toISOString(), offsetMs: idp.clock.offsetMs, skewMs: idp.clock.offsetMs });
  r.get('/clock', (_req, res) => {
    res.json(clock());
  });
  r.put('/clock', (req, res) => {
    idp.clock.setOffset(parseInput(clockOffsetInput, req.body ?? {}, 'IdP clock').offsetMs);
    res.json(clock());
  });

  return r;
}
