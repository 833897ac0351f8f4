// The table and the comparison that decides the demo's exit status: a row that differs from the
// documented expectation in allow, status or any reason code must show as NO.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matches, type Observation } from '../src/case-result.js';
import { demoCases, EXPECTED } from '../src/mode-table.js';
import { renderTable } from '../src/result-table.js';
import { createTerminal } from '../src/terminal.js';

const plain = createTerminal({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream, {});
const expected = EXPECTED.required.bound.other;
const asDocumented: Observation = {
  allow: false,
  status: 401,
  reasons: ['token_verified', 'binding_mismatch'],
};

describe('matches', () => {
  test('the documented observation matches', () => {
    assert.equal(matches(expected, asDocumented), true);
  });
  const differing: [string, Observation][] = [
    ['allow instead of deny', { ...asDocumented, allow: true }],
    ['another status', { ...asDocumented, status: 403 }],
    ['another deciding reason', { ...asDocumented, reasons: ['token_verified', 'certificate_missing'] }],
    ['an extra reason', { ...asDocumented, reasons: [...asDocumented.reasons, 'rules_absent'] }],
    ['no reasons recorded', { ...asDocumented, reasons: [] }],
    ['a transport failure', { ...asDocumented, failure: 'ECONNREFUSED' }],
  ];
  for (const [name, observation] of differing) {
    test(`${name} does not match`, () => assert.equal(matches(expected, observation), false));
  }
});

describe('renderTable', () => {
  const cases = demoCases().filter((c) => c.via === 'node-https' && c.mode === 'required');
  test('one aligned line per case plus a header, no colour when piped', () => {
    const results = cases.map((c) => ({
      case: c,
      observed: { allow: c.expected.allow, status: c.expected.status, reasons: c.expected.reasons },
      matched: true,
    }));
    const lines = renderTable(results, plain);
    assert.equal(lines.length, cases.length + 1);
    assert.match(
      lines[0] ?? '',
      /^via +mode +token +certificate +result +status +reason codes +as documented$/,
    );
    const resultColumn = (lines[0] ?? '').indexOf('result');
    for (const line of lines.slice(1)) {
      assert.match(line.slice(resultColumn), /^(allow|deny) /);
      assert.match(line, / yes$/);
      assert.ok(!line.includes('\u001b['));
    }
  });

  test('a mismatching row says NO and what was expected', () => {
    const [first] = cases;
    assert.ok(first);
    const lines = renderTable(
      [
        {
          case: first,
          observed: { allow: false, status: 401, reasons: ['token_verified', 'binding_mismatch'] },
          matched: false,
        },
      ],
      plain,
    );
    assert.match(lines[1] ?? '', / NO, expected allow 200 token_verified, binding_verified, rules_absent$/);
  });

  test('every mode × token × certificate cell is run through both enforcement points', () => {
    assert.equal(demoCases().length, 2 * 3 * 2 * 3);
    assert.equal(new Set(demoCases().map((c) => `${c.via} ${c.mode} ${c.token} ${c.certificate}`)).size, 36);
  });
});
