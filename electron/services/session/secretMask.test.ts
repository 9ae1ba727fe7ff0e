/** Which keys name a secret, and what the mask leaves visible. */
import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets, namesASecret, wordsOf } from './secretMask.js';

describe('namesASecret', () => {
  it('splits keys into words whatever their case style', () => {
    expect(wordsOf('apiKey')).toEqual(['api', 'key']);
    expect(wordsOf('access_token')).toEqual(['access', 'token']);
    expect(wordsOf('X-Auth-Header')).toEqual(['x', 'auth', 'header']);
    expect(wordsOf('OAuthToken2')).toEqual(['o', 'auth', 'token']);
  });

  it('knows the secrets of the documented list, in any style', () => {
    for (const key of [
      'password',
      'Password',
      'pass',
      'pwd',
      'passwd',
      'secret',
      'clientSecret',
      'token',
      'refresh_token',
      'apiKey',
      'API_KEY',
      'apikey',
      'pin',
      'PIN',
      'credentials',
      'auth',
      'Authorization',
      'cookie',
      'session-cookie',
    ]) {
      expect([key, namesASecret(key)]).toEqual([key, true]);
    }
  });

  it('leaves words that only contain a secret word alone', () => {
    for (const key of ['keyboard', 'passport', 'pinned', 'author', 'spinner', 'email', 'description', 'id']) {
      expect([key, namesASecret(key)]).toEqual([key, false]);
    }
  });
});

describe('maskSecrets', () => {
  const session = {
    email: 'ann@example.com',
    token: 'eyJhcHBOYW1lSUQiOiJjb20uY29udGFjdEFwcCJ9',
    device: { id: 'ABC', token: `${'f'.repeat(60)}1a2b`, description: 'iPhone' },
    userInfo: { name: 'Ann', secret: 's3', apiKey: 'k3', pwd: 'p3', nested: [{ pin: '1234' }] },
    parameters: { credentials: { user: 'ann', pass: 'p4', pin: '5678' }, keyboard: 'azerty' },
  };

  it('masks every secret at any depth and keeps everything else', () => {
    expect(maskSecrets(session)).toEqual({
      email: 'ann@example.com',
      token: MASK,
      device: { id: 'ABC', token: `${MASK}1a2b`, description: 'iPhone' },
      userInfo: { name: 'Ann', secret: MASK, apiKey: MASK, pwd: MASK, nested: [{ pin: MASK }] },
      parameters: { credentials: MASK, keyboard: 'azerty' },
    });
  });

  it('shows no part of a short push token, and leaves its input unchanged', () => {
    const input = { device: { token: 'abcd1234' } };
    expect(maskSecrets(input)).toEqual({ device: { token: MASK } });
    expect(input.device.token).toBe('abcd1234');
  });
});
