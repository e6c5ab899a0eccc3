import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonSyntaxError, quoteChar } from '../../src/go/json.js';

test("jsonSyntaxError words errors as Go's encoding/json scanner does", () => {
  const cases: [string, string | undefined][] = [
    ['{"a":1}', undefined],
    [' [1, 2.5e-3, "x\\u00e9", true, false, null] \n', undefined],
    ['{invalid', "invalid character 'i' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b"}', "invalid character '\"' after object key:value pair"],
    ['[1 2]', "invalid character '2' after array element"],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['nul!', "invalid character '!' in literal null (expecting 'l')"],
    ['"abc', 'unexpected end of JSON input'],
    ['1.', "invalid character ' ' after decimal point in numeric literal"],
    ['1e+', "invalid character ' ' in exponent of numeric literal"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['{"a":1} x', "invalid character 'x' after top-level value"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
  ];
  for (const [text, want] of cases) assert.equal(jsonSyntaxError(text), want, JSON.stringify(text));
});

test('quoteChar escapes as strconv.Quote', () => {
  assert.equal(quoteChar(0x00), "'\\x00'");
  assert.equal(quoteChar(0x0a), "'\\n'");
  assert.equal(quoteChar(0x5c), "'\\\\'");
  assert.equal(quoteChar(0x85), "'\\u0085'");
  assert.equal(quoteChar(0xe9), "'é'");
});
