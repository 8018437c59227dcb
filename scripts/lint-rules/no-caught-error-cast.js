// A caught value can be anything a dependency throws (a string, null, a plain object), so a cast
// such as `err as HarnessError` or `(err as NodeJS.ErrnoException).code` claims what nobody checked:
// reading a field of it can throw a TypeError that hides the real failure. Narrow it instead
// (`instanceof`, `typeof`, `'code' in err`; src/caught-error.ts reads a code or a message that
// way). Covers `catch (err)` and `.catch((err) => …)` callbacks.

/** Whether `fn` is the callback of `.catch(fn)` or the second one of `.then(ok, fn)`. */
function isRejectionCallback(fn) {
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return false;
  const method = call.callee.property.type === 'Identifier' ? call.callee.property.name : undefined;
  return (method === 'catch' && call.arguments[0] === fn) || (method === 'then' && call.arguments[1] === fn);
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'disallow type assertions on a caught error; narrow it with instanceof or typeof' },
    schema: [],
    messages: {
      cast: "'{{name}}' is a caught value of unknown shape: narrow it (instanceof, typeof, 'code' in {{name}}) instead of asserting its type",
    },
  },
  create(context) {
    // The first variable a catch clause or a callback declares is the caught value.
    const reportCasts = (node) => {
      const [variable] = context.sourceCode.getDeclaredVariables(node);
      if (!variable) return;
      for (const reference of variable.references) {
        const parent = reference.identifier.parent;
        if ((parent.type === 'TSAsExpression' || parent.type === 'TSTypeAssertion') && parent.expression === reference.identifier) {
          context.report({ node: parent, messageId: 'cast', data: { name: variable.name } });
        }
      }
    };
    return {
      CatchClause(node) {
        if (node.param?.type === 'Identifier') reportCasts(node);
      },
      'ArrowFunctionExpression, FunctionExpression'(node) {
        if (node.params[0]?.type === 'Identifier' && isRejectionCallback(node)) reportCasts(node);
      },
    };
  },
};
