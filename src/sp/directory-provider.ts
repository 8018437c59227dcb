// RingCentral's "Directory Provider" precondition for Microsoft Entra ID. Microsoft's RingCentral
// provisioning tutorial starts with "In the RingCentral admin portal, under Account Settings ->
// Directory Integrations, set the Directory Provider setting to SCIM" before Entra ID is
// authorized. What RingCentral answers when it is not set is not public: the harness refuses Entra
// ID's requests with a 403 naming the setting, so a tester who skips the step learns which one.
// Microsoft does not publish its provisioning service's User-Agent either: a client is taken for
// Entra ID when its User-Agent names Microsoft Entra, Azure AD or AAD provisioning.
import { HarnessError } from '../errors.js';
import type { Account } from './model.js';

const ENTRA_USER_AGENT = /\b(?:microsoft entra|entra id|azure ?ad|aad)\b/i;

/** Whether a request's User-Agent is Microsoft Entra ID's provisioning service. */
export const isEntraClient = (userAgent: string | undefined): boolean => userAgent !== undefined && ENTRA_USER_AGENT.test(userAgent);

/** Refuses Entra ID's SCIM requests while the account's Directory Provider is not SCIM. */
export function assertDirectoryProviderAllows(account: Account, userAgent: string | undefined): void {
  if (!isEntraClient(userAgent) || account.scim.directoryProvider === 'scim') return;
  throw new HarnessError(
    'SCIM_DIRECTORY_PROVIDER',
    `Microsoft Entra ID provisions this account only once its Directory Provider is SCIM (Account Settings → Directory Integrations), and it is ${account.scim.directoryProvider ?? 'none'}: set it with PATCH /sp/api/accounts/${account.id}/scim {"directoryProvider":"scim"} or on the account's SCIM provisioning access page`,
  );
}
