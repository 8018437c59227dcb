// The application has its SP values: no catalogue placeholder (`<mydomain>`) is left, so
// no assertion goes to a URL nobody configured.
import { HarnessError } from '../../errors.js';
import type { RequestCheck } from './types.js';

export const appConfigured: RequestCheck = {
  id: 'app-configured',
  title: 'The application has its SP Entity ID and ACS URL (no placeholders)',
  run(ctx) {
    const { app, missingSettings } = ctx.expect;
    if (missingSettings.length > 0) {
      throw new HarnessError('IDP_APP_INCOMPLETE', `${app.displayLabel} is not fully configured: ${missingSettings.join(', ')}`, {
        expected: 'SP Entity ID and ACS URL without placeholders (or upload the SP metadata)',
        received: missingSettings.join(', '),
      });
    }
    return 'SP Entity ID and ACS URL configured';
  },
};
