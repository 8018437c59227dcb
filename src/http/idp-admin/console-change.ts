// What the IdP console's router lends the route files it mounts: its way of running a form's
// change (a refused one comes back on the page through the one error exit) and of sending pages.
import type { Request, Response } from 'express';
import type { IdpAdminView } from '../views/idp-admin-pages.js';

/** A change's outcome: a notice on the page, somewhere to go, or another page to show first (a confirmation dialog). */
export type ChangeOutcome = string | { redirect: string } | { page: string };

export type ShowPage = (id: string, res: Response, extra: Partial<IdpAdminView>) => Promise<string>;

export interface ConsoleKit {
  change(apply: (req: Request, res: Response) => Promise<ChangeOutcome>, show: ShowPage): (req: Request, res: Response) => Promise<void>;
  /** The page of application `id`, with a notice or an error. */
  appPage: ShowPage;
  view(res: Response, extra?: Partial<IdpAdminView>): IdpAdminView;
  send(res: Response, html: string): void;
}
