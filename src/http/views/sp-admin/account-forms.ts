// The SP console's account forms: create an account (name and plan) on the accounts page, and
// switch an account's plan on its pages. SSO and Identity Management need Premium or Enterprise.
import type { Account } from '../../../sp/model.js';
import { DEFAULT_PLAN, PLAN_LABELS, planOf, SP_PLANS, type SpPlan } from '../../../sp/plans.js';
import { html, type SafeHtml } from '../html.js';

const planOptions = (selected: SpPlan): SafeHtml[] =>
  SP_PLANS.map((p) => html`<option value="${p}"${p === selected ? html` selected` : ''}>${PLAN_LABELS[p]}</option>`);

export function newAccountForm(csrf: SafeHtml): SafeHtml {
  return html`<section><h2>Create an account</h2>
<form method="post" action="/sp/admin/accounts">${csrf}
<label for="account-name">Account name</label><input id="account-name" name="name" required maxlength="100">
<label for="account-plan">Plan</label><select id="account-plan" name="plan">${planOptions(DEFAULT_PLAN)}</select>
<p><small>Single Sign-on and Identity Management need a Premium or Enterprise plan.</small></p>
<button type="submit">Create account</button></form></section>`;
}

export function planForm(account: Account, csrf: SafeHtml): SafeHtml {
  return html`<section><h2>Plan</h2>
<form method="post" action="/sp/admin/accounts/${encodeURIComponent(account.id)}/plan" class="inline">${csrf}
<label for="plan">Plan</label><select id="plan" name="plan">${planOptions(planOf(account))}</select>
<button type="submit">Save plan</button></form>
<p><small>Single Sign-on and Identity Management need a Premium or Enterprise plan.</small></p></section>`;
}
