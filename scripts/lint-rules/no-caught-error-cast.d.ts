import type { Rule } from 'eslint';

declare const noCaughtErrorCast: Rule.RuleModule;
export default noCaughtErrorCast;
