import { describe, expect, it } from 'vitest';
import { appLocale } from '../../worker/pages/app/messages';

describe('appLocale', () => {
  it.each([
    { setting: null, header: 'it-IT,it;q=0.9,en;q=0.5', expected: 'it' },
    { setting: null, header: 'de, it;q=0.8', expected: 'it' },
    { setting: null, header: 'en-GB,it;q=0.5', expected: 'en' },
    { setting: null, header: 'de', expected: 'en' },
    { setting: null, header: 'italic', expected: 'en' },
    { setting: null, header: undefined, expected: 'en' },
    { setting: 'it', header: 'en', expected: 'it' },
    { setting: 'fr', header: 'it', expected: 'it' },
  ] as const)('$setting / $header → $expected', ({ setting, header, expected }) => {
    expect(appLocale(setting, header)).toBe(expected);
  });
});
