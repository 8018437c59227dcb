import assert from 'node:assert/strict';
import { errorCode, errorMessage } from '../src/caught-error.js';

describe('reading a caught value', () => {
  it('reads the system error code of a Node error, and of a plain object that carries one', () => {
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    assert.equal(errorCode(enoent), 'ENOENT');
    assert.equal(errorCode({ code: 'EADDRINUSE' }), 'EADDRINUSE');
  });

  it('reads no code from a value without a string code', () => {
    for (const [i, value] of [new Error('plain'), { code: 42 }, 'ENOENT', null, undefined, 7].entries()) {
      assert.equal(errorCode(value), undefined, `value ${i}`);
    }
  });

  it('reads an Error\'s message, and anything else as text', () => {
    assert.equal(errorMessage(new TypeError('bad type')), 'bad type');
    assert.equal(errorMessage('a thrown string'), 'a thrown string');
    assert.equal(errorMessage(undefined), 'undefined');
    assert.equal(errorMessage({ message: 'not an Error' }), '[object Object]');
  });
});
