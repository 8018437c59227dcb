// The project's own lint rule (scripts/lint-rules/), run by ESLint's RuleTester on the code it
// must reject and the code it must let through.
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import noCaughtErrorCast from '../scripts/lint-rules/no-caught-error-cast.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

describe('lint rule no-caught-error-cast', () => {
  tester.run('no-caught-error-cast', noCaughtErrorCast, {
    valid: [
      'try { f(); } catch (err) { if (err instanceof HarnessError) report(err.code); }',
      "try { f(); } catch (err) { if (err instanceof Error && 'code' in err) report(err.code); }",
      'p.catch((err: unknown) => log(err));',
      // A cast of something else inside a catch block is not a cast of the caught value.
      'try { f(); } catch (err) { const body = read() as Body; log(err, body); }',
      // The first callback of then() receives a value, not a rejection.
      'p.then((value) => value as Body);',
    ],
    invalid: [
      { code: 'try { f(); } catch (err) { throw toFailure(err as HarnessError); }', errors: [{ messageId: 'cast' }] },
      { code: "try { f(); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; }", errors: [{ messageId: 'cast' }] },
      { code: 'try { f(); } catch (err) { log((<Error>err).message); }', errors: [{ messageId: 'cast' }] },
      { code: 'p.catch((err) => (err as Error).message);', errors: [{ messageId: 'cast' }] },
      { code: 'p.then(ok, function (err) { return (err as Error).message; });', errors: [{ messageId: 'cast' }] },
      {
        code: 'try { f(); } catch (err) { const a = err as Error; const b = err as { code?: string }; use(a, b); }',
        errors: [{ messageId: 'cast' }, { messageId: 'cast' }],
      },
    ],
  });
});
