import { describe, expect, it } from 'vitest';
import { hostAndPort, normalizeFingerprint, sameFingerprint, serverNameFor } from './serverCertificate.js';

describe('server certificate helpers', () => {
  it('compares fingerprints whatever their case and separators', () => {
    expect(sameFingerprint('ab:cd:ef', 'ABCDEF')).toBe(true);
    expect(sameFingerprint('AB:CD:EF', 'AB:CD:EE')).toBe(false);
    expect(normalizeFingerprint(' ab:cd ')).toBe('AB:CD');
  });

  it('finds host and port, without IPv6 brackets, and sends no server name for an address', () => {
    expect(hostAndPort(new URL('https://[::1]:8443/x'))).toEqual({ host: '::1', port: 8443 });
    expect(hostAndPort(new URL('https://srv.example/x'))).toEqual({ host: 'srv.example', port: 443 });
    expect(hostAndPort(new URL('http://srv.example/x'))).toEqual({ host: 'srv.example', port: 80 });
    expect(serverNameFor('127.0.0.1')).toBeUndefined();
    expect(serverNameFor('srv.example')).toBe('srv.example');
  });
});
