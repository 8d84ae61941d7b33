import { describe, expect, it } from 'vitest';
import { formatName } from './format-name.js';

describe('formatName', () => {
  it('puts the given name first with a space for English and other languages', () => {
    expect(formatName({ givenName: 'Oliver', familyName: 'Jones' }, 'en')).toBe('Oliver Jones');
    expect(formatName({ givenName: 'Oliver', familyName: 'Jones' }, 'en-GB')).toBe('Oliver Jones');
    expect(formatName({ givenName: 'Léa', familyName: 'Martin' }, null)).toBe('Léa Martin');
  });

  it('puts the family name first, without a space, for a name in Chinese characters', () => {
    expect(formatName({ givenName: '芳', familyName: '王' }, 'zh-CN')).toBe('王芳');
    expect(formatName({ givenName: '芳', familyName: '王' }, 'en')).toBe('王芳');
    expect(formatName({ givenName: 'Fang', familyName: 'Wang' }, 'zh-CN')).toBe('Wang Fang');
  });

  it('prefers the display name, and uses one part alone when the other is missing', () => {
    expect(formatName({ displayName: ' Ollie ', givenName: 'Oliver', familyName: 'Jones' }, 'en')).toBe('Ollie');
    expect(formatName({ familyName: 'Jones' }, 'en')).toBe('Jones');
    expect(formatName({}, 'en')).toBeNull();
  });
});
