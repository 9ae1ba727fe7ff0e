/** How values read in the table (issue 18, item 9). */
import { describe, expect, it } from 'vitest';
import { shortIp } from './format.js';

describe('shortIp', () => {
  it('shows an IPv4 address seen through IPv6 as people write it, and any other as it is', () => {
    expect(shortIp('::ffff:192.168.5.142')).toBe('192.168.5.142');
    expect(shortIp('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(shortIp('2001:db8::1')).toBe('2001:db8::1');
    expect(shortIp('::ffff:not-an-ip')).toBe('::ffff:not-an-ip');
    expect(shortIp(null)).toBe('—');
  });
});
