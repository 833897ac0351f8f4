import type { CaseResult } from './case-result.js';
import type { Expectation } from './mode-table.js';
import type { Terminal } from './terminal.js';

const COLUMNS = [
  'via',
  'mode',
  'token',
  'certificate',
  'result',
  'status',
  'reason codes',
  'as documented',
] as const;

function describeExpectation(expected: Expectation): string {
  return `${expected.allow ? 'allow' : 'deny'} ${expected.status} ${expected.reasons.join(', ')}`;
}

/** One row's plain cells (no colour), in COLUMNS order. */
export function rowCells(result: CaseResult): string[] {
  const { case: c, observed } = result;
  return [
    c.via,
    c.mode,
    c.token,
    c.certificate,
    observed.failure !== undefined ? 'error' : observed.allow ? 'allow' : 'deny',
    observed.failure !== undefined ? '-' : String(observed.status),
    observed.failure ?? observed.reasons.join(', '),
    result.matched ? 'yes' : `NO, expected ${describeExpectation(c.expected)}`,
  ];
}

/**
 * The results as an aligned table. Widths are computed on plain text so colour codes never
 * shift columns; colour is added per cell afterwards.
 */
export function renderTable(results: readonly CaseResult[], terminal: Terminal): string[] {
  const rows = results.map(rowCells);
  const widths = COLUMNS.map((title, index) =>
    Math.max(title.length, ...rows.map((cells) => (cells[index] ?? '').length)),
  );
  // The last column is not padded (no trailing spaces).
  const pad = (cells: readonly string[]) =>
    cells.map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)));
  const lines = [terminal.paint('bold', pad(COLUMNS).join('  '))];
  results.forEach((result, rowIndex) => {
    const cells = pad(rows[rowIndex] ?? []);
    const resultIndex = COLUMNS.indexOf('result');
    const matchIndex = COLUMNS.indexOf('as documented');
    cells[resultIndex] = terminal.paint(result.observed.allow ? 'green' : 'yellow', cells[resultIndex] ?? '');
    cells[matchIndex] = terminal.paint(result.matched ? 'green' : 'red', cells[matchIndex] ?? '');
    lines.push(cells.join('  '));
  });
  return lines;
}
