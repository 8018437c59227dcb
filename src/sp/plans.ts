// The RingCentral plan of an SP account. The seeds' prerequisites: SSO and Identity Management
// need a Premium or Enterprise plan; on a lower plan both are refused, naming the plan.
import { HarnessError } from '../errors.js';

export const SP_PLANS = ['essentials', 'standard', 'premium', 'enterprise'] as const;
export type SpPlan = (typeof SP_PLANS)[number];

export const PLAN_LABELS: Record<SpPlan, string> = { essentials: 'Essentials', standard: 'Standard', premium: 'Premium', enterprise: 'Enterprise' };

/** What a plan may include that the seeds name. */
export type PlanFeature = 'sso' | 'identity-management';

const FEATURE_WORDS: Record<PlanFeature, string> = {
  sso: 'Single Sign-on',
  'identity-management': 'Identity Management (SCIM provisioning)',
};

/** Accounts saved before plans existed are Premium: they could already do both. */
export const DEFAULT_PLAN: SpPlan = 'premium';

export function planOf(account: { plan?: SpPlan | undefined }): SpPlan {
  return account.plan ?? DEFAULT_PLAN;
}

export function planIncludes(plan: SpPlan, _feature: PlanFeature): boolean {
  return plan === 'premium' || plan === 'enterprise';
}

/** SP_PLAN_NOT_ALLOWED unless the account's plan includes the feature. */
export function assertPlanIncludes(account: { plan?: SpPlan | undefined; name: string }, feature: PlanFeature): void {
  const plan = planOf(account);
  if (planIncludes(plan, feature)) return;
  throw new HarnessError('SP_PLAN_NOT_ALLOWED', `${FEATURE_WORDS[feature]} needs a Premium or Enterprise plan; account ${account.name} is on the ${PLAN_LABELS[plan]} plan`, {
    expected: 'an account on the Premium or Enterprise plan',
    received: `the ${PLAN_LABELS[plan]} plan`,
    fields: { plan: 'switch the account to Premium or Enterprise' },
  });
}
