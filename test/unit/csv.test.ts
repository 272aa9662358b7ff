import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../worker/lib/csv';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['Grazie mille 🎉', 'Grazie mille 🎉'],
  ])('text %j is written %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers as numbers, negative ones included, and empties for null', () => {
    expect(csvRow([-50, 3.5, null, undefined, true, Number.NaN])).toBe('-50,3.5,,,true,\r\n');
  });
});
