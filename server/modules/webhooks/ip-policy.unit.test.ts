import { describe, expect, it } from 'vitest';
import { refusedRange } from './ip-policy.ts';

describe('the webhook address policy', () => {
  it.each([
    ['127.0.0.1', 'boucle locale'],
    ['127.255.255.254', 'boucle locale'],
    ['10.1.2.3', 'réseau privé'],
    ['172.16.0.1', 'réseau privé'],
    ['172.31.255.255', 'réseau privé'],
    ['192.168.1.10', 'réseau privé'],
    ['169.254.169.254', 'lien-local'],
    ['100.64.0.1', 'opérateur'],
    ['100.127.255.255', 'opérateur'],
    ['0.0.0.0', 'non spécifiée'],
    ['224.0.0.251', 'multidiffusion'],
    ['239.255.255.250', 'multidiffusion'],
    ['255.255.255.255', 'réservée'],
    ['198.18.0.1', 'tests'],
    ['::1', 'boucle locale'],
    ['0:0:0:0:0:0:0:1', 'boucle locale'],
    ['::', 'non spécifiée'],
    ['fc00::1', 'locale unique'],
    ['fd12:3456:789a::1', 'locale unique'],
    ['fe80::1', 'lien-local'],
    ['fe80::1%eth0', 'lien-local'],
    ['ff02::1', 'multidiffusion'],
    ['::ffff:127.0.0.1', 'boucle locale (127.0.0.0/8) dans une adresse IPv6'],
    ['::ffff:7f00:1', 'boucle locale (127.0.0.0/8) dans une adresse IPv6'],
    ['::FFFF:10.0.0.1', 'réseau privé (10.0.0.0/8) dans une adresse IPv6'],
    ['::ffff:169.254.169.254', 'lien-local (169.254.0.0/16) dans une adresse IPv6'],
    ['::ffff:0:192.168.0.1', 'réseau privé (192.168.0.0/16) dans une adresse IPv6'],
    ['::127.0.0.1', 'boucle locale (127.0.0.0/8) dans une adresse IPv6'],
    ['64:ff9b::10.0.0.1', 'réseau privé (10.0.0.0/8) dans une adresse IPv6'],
    ['2002:c0a8:0101::1', 'réseau privé (192.168.0.0/16) dans une adresse IPv6'],
    ['2001:db8::1', 'documentation'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusedRange(address)).toContain(reason);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.215.14',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '192.169.0.1',
    '11.0.0.1',
    '2a01:e0a:1:2::3',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
    'fe00::1',
  ])('accepts the public address %s', (address) => {
    expect(refusedRange(address)).toBeNull();
  });

  it('refuses what is not an IP address', () => {
    for (const text of ['localhost', '', '1.2.3', '256.1.1.1', '::g', 'exemple.fr']) expect(refusedRange(text)).toBe('adresse IP invalide');
  });
});
