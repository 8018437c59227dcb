// The application's Attributes form: the statements it lists replace the application's.
import type { Router } from 'express';
import type { IdentityProvider } from '../../idp/identity-provider.js';
import { attributesFormInput } from './attributes-form-input.js';
import type { ConsoleKit } from './console-change.js';

export function mountAttributeRoutes(r: Router, idp: IdentityProvider, kit: ConsoleKit): void {
  r.post(
    '/apps/:id/attributes',
    kit.change(async (req) => {
      const app = await idp.apps.update(String(req.params.id), { attributes: attributesFormInput(req.body) });
      return `Saved the attributes: ${app.attributes.map((a) => a.name).join(', ') || 'none'}.`;
    }, kit.appPage),
  );
}
